// Host tools run from a worker thread, once it is up (until then, from here: no caller waits for
// a worker to start). Starting a child process blocks the thread that starts it
// until the child has called execve (libuv's uv_spawn reads its exec-error pipe), and on a busy
// host that is the scheduler's wait: milliseconds to tens of them per child, measured here, while
// the event loop serves nothing. Work that no answer waits for (the unmounts after a container's
// shim has gone) is started from a worker, which alone waits. The worker is started when needed,
// goes after a second without work (a V8 isolate of its own: about 10 MB), and never keeps the
// engine's process alive.
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { ImageError } from './errors.ts';
import { run } from './tools.ts';

const IDLE_MS = 1000;

/** The worker's program: runs each job with spawn, answers its status and stderr. */
const PROGRAM = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
parentPort.on('message', ({ id, command, args }) => {
  let answered = false;
  const answer = (result) => { if (!answered) { answered = true; parentPort.postMessage({ id, ...result }); } };
  const err = [];
  try {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', (e) => answer({ error: String(e.message) }));
    child.on('close', (code, signal) => answer({ code, signal, stderr: Buffer.concat(err).toString('utf8') }));
  } catch (e) {
    answer({ error: String(e.message) });
  }
});
`;

interface Answer {
  id: number;
  error?: string;
  code?: number | null;
  signal?: string | null;
  stderr?: string;
}

let worker: Worker | undefined;
/** The worker answers: it has started its program. */
let online = false;
let idle: ReturnType<typeof setTimeout> | undefined;
let next = 0;
const jobs = new Map<number, (answer: Answer) => void>();

function started(): Worker {
  clearTimeout(idle);
  if (worker !== undefined) return worker;
  const w = new Worker(PROGRAM, { eval: true, env: SHARE_ENV });
  w.once('online', () => {
    online = worker === w;
    if (jobs.size === 0) idleLater(w);
  });
  w.unref();
  w.on('message', (answer: Answer) => {
    jobs.get(answer.id)?.(answer);
    jobs.delete(answer.id);
    if (jobs.size === 0) idleLater(w);
  });
  w.on('error', (error) => {
    for (const done of jobs.values()) done({ id: -1, error: error.message });
    jobs.clear();
    void stop(w);
  });
  worker = w;
  return w;
}

/** No work: the worker lets the process exit, and goes unless work comes within IDLE_MS. */
function idleLater(w: Worker): void {
  w.unref();
  clearTimeout(idle);
  idle = setTimeout(() => void stop(w), IDLE_MS).unref();
}

async function stop(w: Worker): Promise<void> {
  if (worker === w) {
    worker = undefined;
    online = false;
  }
  await w.terminate();
}

/** Runs `command` to its end from the worker; rejects as tools.ts `run` does. */
export async function runOffThread(command: string, args: readonly string[]): Promise<void> {
  const w = started();
  if (!online) {
    await run(command, args);
    return;
  }
  return new Promise((resolve, reject) => {
    const id = ++next;
    jobs.set(id, (answer) => {
      const what = `${command} ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' …' : ''}`;
      if (answer.error !== undefined)
        reject(new ImageError('unsupported', `cannot run ${command}: ${answer.error.toLowerCase()}`));
      else if (answer.code === 0) resolve();
      else {
        const status = answer.signal == null ? `exit status ${answer.code}` : `signal ${answer.signal}`;
        reject(new ImageError('server', `${what} failed: ${answer.stderr?.trim() || status}`));
      }
    });
    w.ref();
    w.postMessage({ id, command, args: [...args] });
  });
}
