// `dockstep gate`: real step mode from a terminal, against a running engine's gate
// (engine/daemon/api/gate.ts). With `dockstep trace --follow` in another terminal, a learner
// holds a pull before `Diff.Apply` of a layer, looks at the host, and lets it go on:
//   dockstep gate break op=ctrd.Diff.Apply     hold every message with that op
//   dockstep gate step on|off                  hold every message (step mode)
//   dockstep gate release                      let the held message go, once
//   dockstep gate clear                        remove every breakpoint
//   dockstep gate                              what is held, the step mode, the breakpoints
import http from 'node:http';
import { resolveHost } from '../client/engine.ts';
import { UsageError } from './simCommand.ts';

export const GATE_USAGE = `usage: dockstep gate [-H unix:///run/dockstep/dockstep.sock] [status | step on|off | break layer=L|op=O|call=C|container=ID | clear | release]`;

interface Answer {
  status: number;
  text: string;
}

function ask(socket: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: socket,
        method,
        path,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot connect to the dockstep engine at ${socket}: ${error.code ?? error.message}`)),
    );
    req.end(body);
  });
}

/** What to ask the engine for one command line. */
function requestOf(words: readonly string[]): { method: string; path: string; body?: string } {
  const [verb = 'status', arg, extra] = words;
  if (extra !== undefined) throw new UsageError(`gate ${verb}: unexpected argument "${extra}"`);
  if (verb === 'status' && arg === undefined) return { method: 'GET', path: '/dockstep/v1/gate' };
  if (verb === 'step' && (arg === 'on' || arg === 'off'))
    return { method: 'POST', path: `/dockstep/v1/gate/step?on=${arg === 'on' ? 1 : 0}` };
  if (verb === 'clear' && arg === undefined)
    return { method: 'DELETE', path: '/dockstep/v1/gate/breakpoints' };
  if (verb === 'release' && arg === undefined) return { method: 'POST', path: '/dockstep/v1/gate/release' };
  if (verb === 'break' && arg !== undefined && /^(layer|op|call|container)=./.test(arg)) {
    const eq = arg.indexOf('=');
    return {
      method: 'POST',
      path: '/dockstep/v1/gate/breakpoints',
      body: JSON.stringify({ [arg.slice(0, eq)]: arg.slice(eq + 1) }),
    };
  }
  throw new UsageError(`gate: cannot read "${words.join(' ')}"`);
}

export async function gateCommand(argv: readonly string[]): Promise<string> {
  const words = [...argv];
  let host: string | undefined;
  const flag = words.findIndex((w) => w === '-H' || w === '--host');
  if (flag >= 0) {
    host = words[flag + 1];
    if (host === undefined) throw new UsageError(`${words[flag] ?? '-H'} needs a value`);
    words.splice(flag, 2);
  }
  const socket = resolveHost(host, process.env).slice('unix://'.length);
  const request = requestOf(words);
  const answer = await ask(socket, request.method, request.path, request.body);
  if (answer.status >= 400)
    throw new Error(
      String(
        (JSON.parse(answer.text || '{}') as { message?: unknown }).message ??
          `the engine answered ${answer.status}`,
      ),
    );
  return answer.text === '' ? '' : `${JSON.stringify(JSON.parse(answer.text), null, 2)}\n`;
}
