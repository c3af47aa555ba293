import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';
import { isRestarting } from './restartPolicy.ts';

const running = (c: ContainerRecord): boolean => c.actor.getSnapshot().matches('running');

/** The pids of the container's task, as its shim lists its cgroup (Tasks.ListPids → Task/Pids). */
function pidsOf(reply: Message | undefined): number[] {
  const processes = ((reply?.payload ?? {}) as JsonObject).processes;
  return Array.isArray(processes)
    ? processes.map((p) => Number(((p ?? {}) as JsonObject).pid ?? 0)).filter((p) => p > 0)
    : [];
}

/**
 * `ps` output as dockerd reads it (moby v20.10.24 daemon/top_unix.go parsePSOutput): the titles
 * of the first line; the lines whose PID column names one of the task's pids (and the `-`
 * lines of threads right after them), the last column keeping its spaces.
 */
export function parsePs(
  output: string,
  pids: readonly number[],
): { Titles: string[]; Processes: string[][] } | string {
  const lines = output.split('\n');
  const fields = (l: string): string[] => l.split(/[\t\n\f\r ]+/).filter((f) => f !== '');
  const titles = fields(lines[0] ?? '');
  const at = titles.indexOf('PID');
  if (at < 0) return "Couldn't find PID field in ps output";
  const processes: string[][] = [];
  let previous = false;
  const append = (f: string[]): void => {
    processes.push([...f.slice(0, titles.length - 1), f.slice(titles.length - 1).join(' ')]);
  };
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const f = fields(line);
    if (f[at] === '-') {
      if (previous) append(f);
      continue;
    }
    previous = pids.includes(Number(f[at]));
    if (previous) append(f);
  }
  return { Titles: titles, Processes: processes };
}

/** What the simulation's `ps -ef` shows of the task's pids: the container's command, as root. */
function simPs(c: ContainerRecord, pids: readonly number[]): { output: string } {
  const head = 'UID PID PPID C STIME TTY TIME CMD';
  const cmd = [c.path, ...c.args].join(' ');
  return { output: [head, ...pids.map((pid) => `root ${pid} 1 0 00:00 ? 00:00:00 ${cmd}`)].join('\n') };
}

/**
 * `GET /containers/{id}/top` (moby v20.10.24 daemon/top_unix.go ContainerTop): the task's pids
 * from containerd (the shim reads its cgroup), then `ps` run by dockerd on the host with the
 * client's ps_args (`-ef` by default), kept to those pids; a `top` event.
 */
export function* containerTop(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const args = query.ps_args || '-ef';
  const bad = /\s+([^\s]*)=\s*(PID[^\s]*)/.exec(args);
  if (bad && bad[1] !== 'pid') return d.error(req, 500, `specifying "${bad[1]}=${bad[2]}" is not allowed`);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!running(c)) return d.error(req, 409, `Container ${c.id} is not running`);
  if (isRestarting(c))
    return d.error(req, 409, `Container ${c.id} is restarting, wait until the container is running`);
  const listed = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.ListPids', `Tasks.ListPids(${short(c.id)}…)`, {
      payload: { id: c.id },
    }),
  );
  if (!listed?.ok)
    return d.error(req, 500, String(((listed?.payload ?? {}) as JsonObject).error ?? 'unknown'));
  const pids = pidsOf(listed);
  const ps = yield* d.work('ps', { args, pids }, () => simPs(c, pids));
  if (!ps.ok) return d.error(req, 500, `ps: ${ps.error}`);
  const table = parsePs(String(ps.output.output ?? ''), pids);
  if (typeof table === 'string') return d.error(req, 500, table);
  d.containerEvent(c, 'top');
  d.reply(req, 200, table, { params: { count: table.Processes.length } });
}

const dimension = (v: string | undefined): number | undefined =>
  v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;

/**
 * `POST /containers/{id}/resize?h=&w=` (moby daemon/resize.go ContainerResize): the init's
 * console, through containerd's Tasks.ResizePty to the shim; a container that is not running is
 * a 409.
 */
export function* containerResize(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const height = dimension(query.h);
  const width = dimension(query.w);
  if (height === undefined || width === undefined)
    return d.error(
      req,
      400,
      `strconv.Atoi: parsing ${JSON.stringify(height === undefined ? (query.h ?? '') : (query.w ?? ''))}: invalid syntax`,
    );
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!running(c)) return d.error(req, 409, `Container ${c.id} is not running`);
  yield* resizePty(d, c.id, undefined, width, height);
  d.reply(req, 200);
}

/** `POST /exec/{id}/resize?h=&w=` (daemon/resize.go ContainerExecResize): the exec's console. */
export function* execResize(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const height = dimension(query.h);
  const width = dimension(query.w);
  if (height === undefined || width === undefined)
    return d.error(
      req,
      400,
      `strconv.Atoi: parsing ${JSON.stringify(height === undefined ? (query.h ?? '') : (query.w ?? ''))}: invalid syntax`,
    );
  const exec = d.execs.get(target);
  const c = exec ? d.containers.get(exec.containerId) : undefined;
  if (!exec || !c) return d.error(req, 404, `No such exec instance: ${target}`);
  // dockerd waits (up to 10 s) for the exec to have started (ec.Started): the CLI sizes the
  // console as soon as it has the hijacked stream, before the process may run.
  if (!exec.running && exec.exitCode === null)
    yield { kind: 'waitFor', topic: `execStarted:${exec.id}`, timeoutMs: 10_000 };
  if (exec.running) yield* resizePty(d, c.id, exec.id, width, height);
  d.reply(req, 200);
}

function* resizePty(
  d: Daemon,
  id: string,
  execId: string | undefined,
  width: number,
  height: number,
): OperationProgram {
  const of = execId === undefined ? '' : `, exec_id=${short(execId)}`;
  yield d.call(
    'containerd',
    'ctrd.Tasks.ResizePty',
    `Tasks.ResizePty(${short(id)}…${of}, ${width}x${height})`,
    {
      payload: { id, ...(execId === undefined ? {} : { execId }), width, height },
    },
  );
}
