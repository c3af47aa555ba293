// `docker exec` for real: the runc machine's `runc.exec` effect and dockerd's own work for an exec.
// As libcontainerd does (moby v20.10.24 libcontainerd/remote/client.go Exec, newFIFOSet), the
// exec's FIFOs are made beside the container's (`<run>/fifo/<id>/<exec id>-stdout`, `-stderr`
// unless a TTY, `-stdin` when stdin is attached) and their reading ends opened before the shim is
// asked; then the real shim's Exec registers the process (the container's spec process with the
// exec's args, env, cwd, user and terminal, as daemon/exec.go builds it) and Start runs
// `runc exec`, whose argv the recorder saw. The output goes to the client that holds the exec's
// hijacked connection (execStreams.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuncEvidence, RuncInput } from '../../src/layers/runc/runcEffects.ts';
import type { WorkPayload } from '../../src/layers/operation.ts';
import { isJsonObject, type JsonValue } from '../../src/model/json.ts';
import type { RealWorks } from './archive.ts';
import { execStreams, openExecStdio } from './execStreams.ts';
import { resolveUser } from './execUser.ts';
import { realTopWorks } from './top.ts';
import type { LiveTask, RealTasks } from './tasks.ts';

/** The container's own process from its bundle's config.json: the base of every exec's. */
async function specProcess(task: LiveTask): Promise<Record<string, unknown>> {
  // JSON.parse only makes JSON values.
  const spec = JSON.parse(await readFile(join(task.bundle, 'config.json'), 'utf8')) as JsonValue;
  const process = isJsonObject(spec) ? spec.process : undefined;
  if (!isJsonObject(process)) throw new Error(`bundle ${task.bundle}: config.json has no process`);
  return { ...process };
}

/** The recorder's `runc exec` call since the task's log was last read. */
async function execCall(task: LiveTask): Promise<{ argv: string[]; exitStatus: number } | undefined> {
  const call = (await task.calls.next()).filter((c) => c.argv.includes('exec')).at(-1);
  return call === undefined ? undefined : { argv: call.argv, exitStatus: call.exitStatus };
}

/** Exec + Start on the real shim: the exec's pid and the `runc exec` it ran. */
export async function execInContainer(tasks: RealTasks, p: RuncInput): Promise<RuncEvidence> {
  const task = tasks.task(p.id);
  const execId = p.execId ?? '';
  const proc = p.process;
  if (proc === undefined || execId === '') throw new Error(`exec in ${p.id}: no process`);
  const terminal = proc.terminal;
  const stdio = await openExecStdio(join(tasks.runDir, 'fifo', p.id), execId, {
    terminal,
    stdin: p.stdin === true,
  });
  const streams = execStreams(tasks);
  streams.connect(execId, p.id, stdio, () => task.shim.task.closeIO(execId));
  const base = await specProcess(task);
  // An exec without `-u` keeps the container's user, supplementary groups included.
  const sameUser = JSON.stringify(base.user).startsWith(`{"uid":${proc.user.uid},"gid":${proc.user.gid}`);
  const spec = {
    ...base,
    ...proc,
    ...(sameUser && !('additionalGids' in proc.user) ? { user: base.user } : {}),
  };
  const client = task.shim.task;
  try {
    await client.exec({ execId, spec, terminal, ...stdio.paths });
    const pid = await client.start(execId);
    streams.started(execId);
    const call = await execCall(task);
    return { result: { ok: true, pid }, observed: { argv: [], exitStatus: 0, ...call, pid } };
  } catch (error) {
    // dockerd closes the FIFOs of a process whose Start failed; the process itself is deleted by
    // its Tasks.DeleteProcess, which the operation sends next (libcontainerd p.Delete).
    streams.failed(execId);
    await stdio.close();
    throw error;
  }
}

/** dockerd's own work for an exec (the `-u` user looked up in the container's files), top and stats. */
export function realExecWorks(tasks: RealTasks): RealWorks {
  return {
    ...realTopWorks,
    execUser: async (_session, input): Promise<WorkPayload> => {
      const task = tasks.task(String(input.id));
      return { ...(await resolveUser(task.rootfs, String(input.user ?? ''))) };
    },
  };
}
