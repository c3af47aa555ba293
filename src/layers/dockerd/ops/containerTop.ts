import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';

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
 * What `ps ARGS` prints for the task's processes: `-ef` (dockerd's default) or `-o a,b,c`;
 * dockerd then keeps the rows whose PID is one of the task's (parsePSOutput). No PID column:
 * dockerd cannot match the rows, and says so.
 */
function psTable(d: Daemon, c: ContainerRecord, args: string, pids: TaskPid[]): JsonObject | string {
  const o = /(?:^|\s)-o\s*(\S+)/.exec(args);
  if (o?.[1] !== undefined) {
    const keys = o[1].split(',');
    if (!keys.includes('pid')) return "Couldn't find PID field in ps output";
    return {
      Titles: keys.map((k) => COLUMNS[k] ?? k.toUpperCase()),
      Processes: pids.map((p) => keys.map((k) => cell(k, d, c, p))),
    };
  }
  const stime = new Date(c.startedMs).toISOString().slice(11, 16);
  return {
    Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
    Processes: pids.map((p) => [
      'root',
      String(p.pid),
      String(p.ppid),
      '0',
      stime,
      '?',
      '00:00:00',
      cmdlineOf(d, c, p),
    ]),
  };
}

/**
 * `GET /containers/{id}/top?ps_args=…` (moby v20.10.24 daemon/top_unix.go ContainerTop): the task's
 * pids from containerd (the shim runs `runc ps`), then `ps` on the host with the given arguments
 * (`-ef` by default), keeping the rows of those pids; a `top` event. Engine 29 does the same
 * (moby docker-v29.0.0 daemon/top_unix.go, through containerd's client `Task.Pids`).
 * Recorded: s-top-diff.txt, u-top-update-stats.txt.
 */
export function* containerTop(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const snap = c.actor.getSnapshot();
  if (!snap.matches('running')) return d.error(req, 409, `Container ${c.id} is not running`);
  if (snap.matches({ running: 'restarting' }))
    return d.error(req, 409, `Container ${c.id} is restarting, wait until the container is running`);
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Tasks.ListPids', `Tasks.ListPids(${short(c.id)}…)`, {
      payload: { id: c.id },
    }),
  );
  if (!reply?.ok) return d.error(req, 500, String(((reply?.payload ?? {}) as JsonObject).error ?? 'no task'));
  const pids = (((reply.payload ?? {}) as JsonObject).pids ?? []) as unknown as TaskPid[];
  const args = query.ps_args ?? '-ef';
  d.self('dockerd.ps', `exec ps ${args}: keep the rows of pids ${pids.map((p) => p.pid).join(', ')}`, {
    params: { args, count: pids.length },
  });
  const table = psTable(d, c, args, pids);
  if (typeof table === 'string') return d.error(req, 500, table);
  d.containerEvent(c, 'top');
  d.reply(req, 200, table, { params: { count: pids.length } });
}
