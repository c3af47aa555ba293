// Thirty viewers of the live UI (node WebSocket clients, as pages on the class's machines would
// be), in a process of their own (viewerProcess.ts): each notes, for every real message, how
// long after the engine delivered it (its `at`, the engine's wall clock less held time: none is
// held here) the message reached it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Seen {
  /** ms from delivery to receipt, one sample per message per viewer. */
  latencies: number[];
  /** Step number → the engine's delivery time, of every message the first viewer received. */
  delivered: Map<number, number>;
}

export interface Viewers {
  /** Disconnect them all; what they saw. */
  close(): Promise<Seen>;
}

const PROCESS = fileURLToPath(new URL('./viewerProcess.ts', import.meta.url));

export async function connectViewers(url: URL, n: number): Promise<Viewers> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROCESS, url.href, String(n)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const ready = (): void => {
      if (out.startsWith('ready\n')) resolve();
    };
    child.stdout.on('data', ready);
    void exited.then((code) => reject(new Error(`bench: the viewers exited ${code} before connecting`)));
  });
  return {
    async close() {
      child.stdin.end();
      const code = await exited;
      const line = out.split('\n')[1] ?? '';
      if (code !== 0 || line === '') throw new Error(`bench: the viewers exited ${code}`);
      const seen = JSON.parse(line) as { latencies: number[]; delivered: [number, number][] };
      return { latencies: seen.latencies, delivered: new Map(seen.delivered) };
    },
  };
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
