import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';
import { isRestarting } from './restartPolicy.ts';

const running = (c: ContainerRecord): boolean => c.actor.getSnapshot().matches('running');

/** One process of the task, as the shim's Pids lists it (with its parent, for ps's PPID). */
interface TaskPid {
  pid: number;
  ppid: number;
  execId?: string;
}

/** The few ps columns dockstep knows, by `-o` keyword (procps ps(1) STANDARD FORMAT SPECIFIERS). */
const COLUMNS: Record<string, string> = {
  pid: 'PID',
  ppid: 'PPID',
  comm: 'COMMAND',
  args: 'COMMAND',
  cmd: 'CMD',
  user: 'USER',
  uid: 'UID',
  etime: 'ELAPSED',
  stat: 'STAT',
};

function cmdlineOf(d: Daemon, c: ContainerRecord, p: TaskPid): string {
  const exec = p.execId === undefined ? undefined : d.execs.get(p.execId);
  return (exec ? exec.cmd : [c.path, ...c.args]).join(' ');
}

/** The value of one ps column for one process (the simulation's processes use no CPU time). */
function cell(key: string, d: Daemon, c: ContainerRecord, p: TaskPid): string {
  const cmdline = cmdlineOf(d, c, p);
  const values: Record<string, string> = {
    pid: String(p.pid),
    ppid: String(p.ppid),
    comm: cmdline.split(' ')[0]?.split('/').pop() ?? '',
    args: cmdline,
    cmd: cmdline,
    user: 'root',
    uid: '0',
    etime: '00:00',
    stat: 'S',
  };
  return values[key] ?? '-';
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

/** The task's processes as containerd's Tasks.ListPids answers them (the shim's Pids, from `runc ps`). */
function pidsOf(reply: Message): TaskPid[] {
  const listed = ((reply.payload ?? {}) as JsonObject).pids;
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((entry) => {
    const e = (entry ?? {}) as JsonObject;
    const pid = Number(e.pid ?? 0);
    if (!(pid > 0)) return [];
    return [
      { pid, ppid: Number(e.ppid ?? 0), ...(typeof e.execId === 'string' ? { execId: e.execId } : {}) },
    ];
  });
}

/**
 * What the simulation's `ps ARGS` prints for the task's processes, as procps would: `-ef`
 * (dockerd's default) or `-o a,b,c`. dockerd reads it as it reads the host's (parsePs).
 */
function simPs(d: Daemon, c: ContainerRecord, args: string, pids: readonly TaskPid[]): string {
  const o = /(?:^|\s)-o\s*(\S+)/.exec(args);
  if (o?.[1] !== undefined) {
    const keys = o[1].split(',');
    const rows = pids.map((p) => keys.map((k) => cell(k, d, c, p)).join(' '));
    return [keys.map((k) => COLUMNS[k] ?? k.toUpperCase()).join(' '), ...rows].join('\n');
  }
  const stime = new Date(c.startedMs).toISOString().slice(11, 16);
  const rows = pids.map((p) => `root ${p.pid} ${p.ppid} 0 ${stime} ? 00:00:00 ${cmdlineOf(d, c, p)}`);
  return ['UID PID PPID C STIME TTY TIME CMD', ...rows].join('\n');
}

/**
 * `GET /containers/{id}/top?ps_args=…` (moby v20.10.24 daemon/top_unix.go ContainerTop): the
 * ps_args checked first, then the task's pids from containerd (the shim runs `runc ps`), then `ps`
 * run by dockerd on the host with those arguments (`-ef` by default), its rows kept to those pids
 * (parsePSOutput); a `top` event. Engine 29 does the same (moby docker-v29.0.0
 * daemon/top_unix.go, through containerd's client `Task.Pids`). Recorded: s-top-diff.txt,
 * u-top-update-stats.txt, w-exec-top-stats.txt.
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
    return d.error(req, 500, String(((listed?.payload ?? {}) as JsonObject).error ?? 'no task'));
  const pids = pidsOf(listed);
  const numbers = pids.map((p) => p.pid);
  d.self('dockerd.ps', `exec ps ${args}: keep the rows of pids ${numbers.join(', ')}`, {
    params: { args, count: pids.length },
  });
  const ps = yield* d.work('ps', { args, pids: numbers }, () => ({ output: simPs(d, c, args, pids) }));
  if (!ps.ok) return d.error(req, 500, `ps: ${ps.error}`);
  const table = parsePs(String(ps.output.output ?? ''), numbers);
  if (typeof table === 'string') return d.error(req, 500, table);
  d.containerEvent(c, 'top');
  d.reply(req, 200, table, { params: { count: table.Processes.length } });
}

const dimension = (v: string | undefined): number | undefined =>
  v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;

/**
 * A resize's height and width; undefined once a bad one is refused with dockerd's 400, in
 * strconv.Atoi's words (daemon/resize.go parses them with it).
 */
function consoleSize(
  d: Daemon,
  req: Message,
  query: Record<string, string>,
): { height: number; width: number } | undefined {
  const height = dimension(query.h);
  const width = dimension(query.w);
  if (height !== undefined && width !== undefined) return { height, width };
  const bad = height === undefined ? (query.h ?? '') : (query.w ?? '');
  d.error(req, 400, `strconv.Atoi: parsing ${JSON.stringify(bad)}: invalid syntax`);
  return undefined;
}

/**
 * `POST /containers/{id}/resize?h=&w=` (moby daemon/resize.go ContainerResize): the init's
 * console, through containerd's Tasks.ResizePty to the shim; a container that is not running is
 * a 409.
 */
export function* containerResize(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const size = consoleSize(d, req, query);
  if (size === undefined) return;
  const { height, width } = size;
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  if (!running(c)) return d.error(req, 409, `Container ${c.id} is not running`);
  yield* resizePty(d, c.id, undefined, width, height);
  d.reply(req, 200);
}

/** `POST /exec/{id}/resize?h=&w=` (daemon/resize.go ContainerExecResize): the exec's console. */
export function* execResize(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const size = consoleSize(d, req, query);
  if (size === undefined) return;
  const { height, width } = size;
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
