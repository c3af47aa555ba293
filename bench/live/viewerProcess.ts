// The viewers of bench:live (viewers.ts), in a process of their own: `viewerProcess.ts URL N`
// connects N WebSocket clients to the live UI at URL, says `ready` on stdout, and, when its stdin
// ends, closes them and prints what they saw as one JSON line. Apart from the bench's own
// process, their reading never delays the bench's event loop, which times the docker runs (a
// class's pages are other machines' work, not the engine's).
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/wire/live.ts';

const [href = '', count = '0'] = process.argv.slice(2);
const url = new URL(href);
const token = url.searchParams.get('token') ?? '';
const latencies: number[] = [];
/** Step number → the engine's delivery time, of every message the first viewer received. */
const delivered: [number, number][] = [];

function open(i: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
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
          if (i === 0) delivered.push([r.entry.message.seq, r.entry.message.at]);
        }
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const sockets = await Promise.all(Array.from({ length: Number(count) }, (_, i) => open(i)));
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  sockets.forEach((ws) => ws.close());
  process.stdout.write(`${JSON.stringify({ latencies, delivered })}\n`, () => process.exit(0));
});
