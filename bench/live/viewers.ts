// Thirty viewers of the live UI (node WebSocket clients, as pages on the class's machines would
// be): each notes, for every real message, how long after the engine delivered it (its `at`,
// the engine's wall clock less held time: none is held here) the message reached it.
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/wire/live.ts';

export interface Viewers {
  /** ms from delivery to receipt, one sample per message per viewer. */
  latencies: number[];
  /** Step number → the engine's delivery time, of every message the first viewer received. */
  delivered: Map<number, number>;
  close(): void;
}

export async function connectViewers(url: URL, n: number): Promise<Viewers> {
  const latencies: number[] = [];
  const delivered = new Map<number, number>();
  const token = url.searchParams.get('token') ?? '';
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://${url.host}/live?token=${token}`, {
            origin: url.origin,
            perMessageDeflate: false,
          });
          ws.on('message', (data: Buffer) => {
            const now = Date.now();
            const frame = JSON.parse(data.toString()) as ServerFrame;
            if (frame.type !== 'records') return;
            for (const r of frame.records)
              if ('entry' in r && r.entry.type === 'message') {
                latencies.push(now - r.entry.message.at);
                if (i === 0) delivered.set(r.entry.message.seq, r.entry.message.at);
              }
          });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
  return { latencies, delivered, close: () => sockets.forEach((ws) => ws.close()) };
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
