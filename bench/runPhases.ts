// Where a `docker run --rm` spends its time, read from the engine's own trace: the engine's
// trace stream (GET /dockstep/v1/trace, entries only) is followed while the run goes, and each
// phase is the time between two of its messages (each message carries the time it was
// delivered, in ms): the create, the CLI's requests between create and start, the shim's start,
// `runc create` and `runc start` as the shim ran them (their argv and exit observed by the
// recorder), and what follows the exit until the container is removed. The CLI's part is the
// command's wall time less the engine's span (from its first request to its last reply).
import http from 'node:http';
import type { Message } from '../src/model/message.ts';
import { JsonLines } from '../engine/client/render/stream.ts';
import type { TraceRecord } from '../engine/real/traceHub.ts';

export interface Follower {
  /** Stops following; answers the messages delivered meanwhile, in order. */
  stop(): Message[];
}

/** Follows the engine's trace on `socket` (entries only: no layer state is read for it). */
export function followMessages(socket: string): Promise<Follower> {
  return new Promise((resolve, reject) => {
    const messages: Message[] = [];
    const req = http.request(
      { socketPath: socket, method: 'GET', path: '/dockstep/v1/trace?states=0' },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET /dockstep/v1/trace on ${socket}: ${res.statusCode ?? '?'}`));
          return;
        }
        const stream = new JsonLines();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const line of stream.pushLines(chunk)) {
            const record = JSON.parse(line) as TraceRecord;
            if ('entry' in record && record.entry.type === 'message') messages.push(record.entry.message);
          }
        });
        resolve({
          stop: () => {
            req.destroy();
            return messages;
          },
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The phases of one `docker run --rm`, in ms. */
export interface RunPhases {
  /** `POST /containers/create` to its answer: the image looked up, the snapshots, the config written. */
  create: number;
  /** The create's answer to the start request: the CLI's attach and wait requests between. */
  cliBetween: number;
  /** `containerd-shim-runc-v2 … start` to its answer (with the bundle, FIFOs and rootfs mount beside it). */
  shimStart: number;
  /** The shim's `runc create`, to the init waiting on exec.fifo (with the init's evidence read). */
  runcCreate: number;
  /** The shim's `runc start`. */
  runcStart: number;
  /** The rest of the start request (dockerd and containerd's own steps, the checkpoint). */
  startOther: number;
  /** The init's exit to the `wait?condition=removed` answer: task and shim deleted, snapshots and files removed. */
  exitToRemoved: number;
  /** The engine's span: its first request to its last answer. */
  engine: number;
  /** The command's wall time less the engine's span: the CLI's start, its connections, its output. */
  cli: number;
}

function span(messages: Message[], op: string, from?: string): number {
  const request = messages.find(
    (m) => m.op === op && m.kind === 'request' && (from === undefined || m.from === from),
  );
  const reply = request && messages.find((m) => m.kind === 'reply' && m.inReplyTo === request.id);
  return request === undefined || reply === undefined ? NaN : reply.at - request.at;
}

/** The phases of the one `docker run --rm` whose messages these are, timed `wallMs` end to end. */
export function runPhases(messages: Message[], wallMs: number): RunPhases {
  const at = (op: string, kind: Message['kind']): number =>
    messages.find((m) => m.op === op && m.kind === kind)?.at ?? NaN;
  const first = messages[0]?.at ?? NaN;
  const removed =
    messages.filter((m) => m.op === 'api.containers.wait' && m.kind === 'reply').at(-1)?.at ?? NaN;
  const start = span(messages, 'api.containers.start');
  const shimStart = span(messages, 'shim.start');
  const runcCreate = span(messages, 'runc.create');
  const runcStart = span(messages, 'runc.start');
  const engine = removed - first;
  return {
    create: span(messages, 'api.containers.create'),
    cliBetween: at('api.containers.start', 'request') - at('api.containers.create', 'reply'),
    shimStart,
    runcCreate,
    runcStart,
    startOther: start - shimStart - runcCreate - runcStart,
    exitToRemoved: removed - at('kernel.exit', 'event'),
    engine,
    cli: wallMs - engine,
  };
}

/** Each phase's median over the runs. */
export function medianPhases(runs: RunPhases[], median: (xs: number[]) => number): RunPhases {
  const of = (k: keyof RunPhases): number => median(runs.map((r) => r[k]));
  return {
    create: of('create'),
    cliBetween: of('cliBetween'),
    shimStart: of('shimStart'),
    runcCreate: of('runcCreate'),
    runcStart: of('runcStart'),
    startOther: of('startOther'),
    exitToRemoved: of('exitToRemoved'),
    engine: of('engine'),
    cli: of('cli'),
  };
}
