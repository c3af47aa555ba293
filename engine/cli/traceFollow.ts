// `dockstep trace --follow`: a running engine's trace as it happens, from its own socket
// (GET /dockstep/v1/trace, engine/daemon/api/traceStream.ts): every message of every request,
// from every client of the engine, interleaved as the engine delivered them, each naming its
// real call. Each line starts with the request it belongs to (`[12]`), so two terminals' pulls
// can be told apart. It runs until the engine stops or the reader hangs up (Ctrl-C).
import http from 'node:http';
import type { Lang } from '../../src/i18n/index.ts';
import { OCCASIONAL, PARTICIPANTS } from '../../src/model/participants.ts';
import { arrowLine, participantLine } from '../../src/views/mermaid.ts';
import { narrationLine } from '../../src/views/narration.ts';
import { entryWithSource } from '../../src/views/sources.ts';
import { goldenLine } from '../../src/views/trace.ts';
import { JsonLines } from '../client/render/stream.ts';
import type { TraceRecord } from '../real/traceHub.ts';
import type { Hold } from '../../src/wire/gate.ts';
import type { HoldRecord } from '../../src/wire/live.ts';

export type FollowFormat = 'mermaid' | 'events' | 'json' | 'golden' | 'narration';

/** What one record prints in a format (nothing for records the format does not show). */
export function followLine(record: TraceRecord, format: FollowFormat, lang: Lang): string | undefined {
  // The engine runs Engine 29's flows (engine/real/world.ts): its messages name v29's sources.
  if (format === 'json')
    return JSON.stringify(
      'entry' in record ? { ...record, entry: entryWithSource(record.entry, 'v29') } : record,
    );
  if ('hold' in record) return format === 'events' ? undefined : gateLines(record, format);
  if (!('entry' in record)) return undefined;
  const { entry } = record;
  if (format === 'events') return entry.type === 'docker-event' ? JSON.stringify(entry.event) : undefined;
  if (entry.type !== 'message') return undefined;
  const m = entry.message;
  const tag = record.root === undefined ? '' : `[${record.root}] `;
  if (format === 'golden') return `${tag}${goldenLine(m)}`;
  if (format === 'narration') return `${tag}${m.from} → ${m.to}: ${narrationLine(m, lang)}`;
  return `    ${arrowLine({ ...m, call: `${tag}${m.call}` })}`;
}

/**
 * The gate's holds changed: each message it let go, then every message held now (the real work
 * behind each not started), one line each, tagged with its request as messages are.
 */
function gateLines(record: HoldRecord, format: FollowFormat): string {
  const tag = (h: Hold): string => (h.root === undefined ? '' : `[${h.root}] `);
  const lines = [
    ...record.released.map((h) => `${tag(h)}▶ the gate lets the held message go: ${goldenLine(h.next)}`),
    ...record.holds.map((h) => `${tag(h)}⏸ held at the gate (${h.reason}): ${goldenLine(h.next)}`),
  ];
  if (lines.length === 0) lines.push('▶ nothing is held at the gate');
  return lines.map((line) => (format === 'mermaid' ? `    %% ${line}` : line)).join('\n');
}

/** The diagram's head for a stream: every column a request of this engine can reach. */
export function followHeader(format: FollowFormat, lang: Lang): string {
  if (format !== 'mermaid') return '';
  const columns = PARTICIPANTS.filter((p) => !OCCASIONAL.has(p));
  return `sequenceDiagram\n${columns.map((p) => `    ${participantLine(p, lang)}`).join('\n')}\n`;
}

/** Follow the engine on `socket`, writing each line as it comes; resolves when the stream ends. */
export function followTrace(
  socket: string,
  format: FollowFormat,
  lang: Lang,
  write: (text: string) => void,
  onOpen: () => void = () => undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method: 'GET', path: '/dockstep/v1/trace' }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(
          new Error(
            `the engine on ${socket} answered ${res.statusCode ?? '?'} to GET /dockstep/v1/trace: is it a dockstep engine?`,
          ),
        );
        return;
      }
      onOpen();
      write(followHeader(format, lang));
      const stream = new JsonLines();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const line of stream.pushLines(chunk)) {
          const out = followLine(JSON.parse(line) as TraceRecord, format, lang);
          if (out !== undefined) write(`${out}\n`);
        }
      });
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot connect to the dockstep engine at ${socket}: ${error.code ?? error.message}`)),
    );
    req.end();
  });
}
