import { setup } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { ProcessEvent } from '../../ports/runtime.ts';
import type { OciSpec } from '../../model/oci.ts';
import type { RuntimeResult } from '../../ports/runtime.ts';
import { signalName } from '../../model/signals.ts';
import type { WireEvent } from '../../wire/wire.ts';
import type { LayerInput } from '../ports.ts';
import { draft, replyDraft, short } from '../post.ts';

/**
 * runc, the OCI runtime CLI (https://github.com/opencontainers/runc/blob/main/docs/terminals.md,
 * runtime-spec runtime.md). Each request is one invocation of the binary: it makes its system
 * calls, answers with its exit status, and exits. It keeps no state in memory — only runc's
 * state directory, which is the runtime port's business.
 */
interface RuncPayload {
  id: string;
  /** containerd namespace (absent: Docker's `moby`). */
  namespace?: string;
  bundle?: string;
  spec?: OciSpec;
  signal?: number;
  execId?: string;
  process?: OciSpec['process'];
}

const NS_FLAGS: Record<string, string> = {
  mount: 'CLONE_NEWNS',
  uts: 'CLONE_NEWUTS',
  ipc: 'CLONE_NEWIPC',
  pid: 'CLONE_NEWPID',
  network: 'CLONE_NEWNET',
  cgroup: 'CLONE_NEWCGROUP',
  user: 'CLONE_NEWUSER',
};

/** `runc run` requests whose process still runs: runc answers when it has reaped it. */
type Ctx = LayerInput & { foreground: Map<string, Message> };

const payloadOf = (e: WireEvent) => e.msg.payload as unknown as RuncPayload;

function syscall(
  ctx: Ctx,
  op: string,
  call: string,
  payload: Record<string, unknown>,
  params?: Record<string, string | number>,
  fidelity?: string,
  narration?: string,
) {
  ctx.wire.event(
    draft('runc', 'Kernel', op, call, {
      payload: payload as never,
      ...(params ? { params } : {}),
      ...(fidelity ? { fidelity } : {}),
      ...(narration ? { narration } : {}),
    }),
  );
}

/**
 * The systemd cgroup driver's `slice:prefix:name` (runc libcontainer/cgroups/systemd): the unit
 * `prefix-name.scope` under the slice, whose dashes nest it (`a-b.slice` is in `a.slice`).
 * `system.slice:docker:ID` → system.slice/docker-ID.scope; a pod's
 * `kubepods-besteffort-podUID.slice:cri-containerd:ID` → kubepods.slice/kubepods-besteffort.slice/….
 */
function cgroupDir(path: string): string {
  // A plain path (BuildKit's executor uses one) is taken as it is.
  if (path.startsWith('/')) return `/sys/fs/cgroup${path}`;
  const [slice = '', prefix, name] = path.split(':');
  if (prefix === undefined || name === undefined) return `/sys/fs/cgroup/${path}`;
  const parts = slice.replace(/\.slice$/, '').split('-');
  const nested = parts.map((_, i) => `${parts.slice(0, i + 1).join('-')}.slice`).join('/');
  return `/sys/fs/cgroup/${nested}/${prefix}-${name}.scope`;
}

/** Joining a pod's namespaces through its pause process (`/proc/PID/ns/…`) reads differently from joining a prepared netns. */
const setnsNarration = (path: string): string | undefined =>
  path.startsWith('/proc/') ? 'kernel.setns.pod' : undefined;

/**
 * The process model simulates the catalogue's programs; anything else still runs (it exists in
 * the image) but does nothing, and the narration of its execve says so rather than faking it.
 */
function unmodelledNote(ctx: Ctx, id: string, execId?: string): string | undefined {
  const proc = ctx.ports.runtime.processes().find((p) => p.containerId === id && p.execId === execId);
  return proc && !proc.modeled ? 'fidelity.unmodelled' : undefined;
}

function answer(ctx: Ctx, event: WireEvent, result: RuntimeResult, okCall = 'exit 0') {
  if (result.ok) {
    const payload: JsonObject = {};
    if (result.pid !== undefined) payload.pid = result.pid;
    ctx.wire.reply(
      event.msg,
      replyDraft(event.msg.op, result.pid ? `${okCall} (pid ${result.pid})` : okCall, {
        payload,
        status: 'exit 0',
      }),
    );
  } else {
    ctx.wire.reply(
      event.msg,
      replyDraft(event.msg.op, `exit 1: ${result.error}`, {
        ok: false,
        status: 'exit 1',
        payload: { error: result.error, exitCode: result.exitCode ?? 1 },
        narration: `${event.msg.op}.failed`,
      }),
    );
  }
}

function createSyscalls(ctx: Ctx, id: string, spec: OciSpec) {
  const fresh = spec.linux.namespaces.filter((n) => !n.path).map((n) => NS_FLAGS[n.type] ?? n.type);
  const joined = spec.linux.namespaces.filter((n) => n.path);
  const namespaces = spec.linux.namespaces.map((n) => n.type);
  syscall(
    ctx,
    'kernel.clone',
    `clone(${fresh.join('|')}) → runc init`,
    { containerId: id, namespaces },
    { flags: fresh.join('|') },
  );
  for (const ns of joined)
    syscall(
      ctx,
      'kernel.setns',
      `setns(${ns.path}, ${NS_FLAGS[ns.type]})`,
      { containerId: id },
      { path: ns.path ?? '', ns: ns.type },
      undefined,
      setnsNarration(ns.path ?? ''),
    );
  const limits: Record<string, string> = { 'pids.max': String(spec.linux.resources.pids?.limit ?? 'max') };
  const mem = spec.linux.resources.memory?.limit;
  limits['memory.max'] = mem === undefined ? 'max' : String(mem);
  const cg = cgroupDir(spec.linux.cgroupsPath);
  syscall(
    ctx,
    'kernel.cgroup',
    `mkdir ${cg}; memory.max=${limits['memory.max']}; cgroup.procs ← init`,
    { containerId: id, cgroup: cg, limits },
    { cgroup: cg },
  );
  for (const m of userBinds(spec)) {
    const ro = m.options?.includes('ro') ?? false;
    const rec = m.options?.includes('bind') ? 'MS_BIND' : 'MS_BIND|MS_REC';
    const call = `mount(${m.source} → ${spec.root.path}${m.destination}, ${rec})${ro ? '; remount MS_RDONLY' : ''}`;
    syscall(
      ctx,
      'kernel.bindMount',
      call,
      { containerId: id, binds: [`${m.source} → ${m.destination}${ro ? ' (ro)' : ''}`] },
      { source: m.source, destination: m.destination },
    );
  }
  syscall(ctx, 'kernel.pivotRoot', `mount proc, /dev, /sys…; pivot_root(${spec.root.path})`, {
    containerId: id,
    root: spec.root.path,
  });
}

/**
 * The spec's bind mounts the user asked for (`-v`, `--mount`): runc mounts them into the root
 * filesystem before pivot_root (libcontainer rootfs_linux.go: MS_BIND|MS_REC, then a read-only
 * remount). dockerd's own per-container files (/etc/hosts…) are binds too; they are among the
 * mounts the pivot_root step sums up.
 */
function userBinds(spec: OciSpec): OciSpec['mounts'] {
  return spec.mounts.filter((m) => m.type === 'bind' && !m.source.startsWith('/var/lib/docker/containers/'));
}

export const runcMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actions: {
    runcCreate: ({ context, event }) => {
      const p = payloadOf(event);
      if (!p.spec) return answer(context, event, { ok: false, error: 'config.json: no spec in bundle' });
      createSyscalls(context, p.id, p.spec);
      const result = context.ports.runtime.create(p.id, p.bundle ?? '', p.spec);
      if (result.ok) {
        syscall(context, 'kernel.execFifo', `runc init: open(exec.fifo) blocks until runc start`, {
          containerId: p.id,
          pid: result.pid ?? 0,
        });
      }
      answer(context, event, result, 'exit 0, init waiting');
    },
    runcStart: ({ context, event }) => {
      const p = payloadOf(event);
      const result = context.ports.runtime.start(p.id);
      syscall(
        context,
        'kernel.execve',
        `open(exec.fifo) → runc init: execve(PID 1)`,
        { containerId: p.id },
        undefined,
        unmodelledNote(context, p.id),
      );
      answer(context, event, result);
    },
    runcKill: ({ context, event }) => {
      const p = payloadOf(event);
      const sig = p.signal ?? 15;
      syscall(
        context,
        'kernel.kill',
        `kill(init, ${signalName(sig)})`,
        { containerId: p.id },
        { signal: signalName(sig) },
      );
      answer(context, event, context.ports.runtime.kill(p.id, sig));
    },
    runcPause: ({ context, event }) => {
      const p = payloadOf(event);
      syscall(context, 'kernel.freeze', `echo 1 > cgroup.freeze`, { containerId: p.id, frozen: true });
      answer(context, event, context.ports.runtime.pause(p.id));
    },
    runcResume: ({ context, event }) => {
      const p = payloadOf(event);
      syscall(context, 'kernel.thaw', `echo 0 > cgroup.freeze`, { containerId: p.id, frozen: false });
      answer(context, event, context.ports.runtime.resume(p.id));
    },
    runcExec: ({ context, event }) => {
      const p = payloadOf(event);
      const args = p.process?.args.join(' ') ?? '';
      if (!p.process || !p.execId) {
        syscall(context, 'kernel.setnsAll', `setns(mnt,uts,ipc,pid,net of ${short(p.id)}); execve(${args})`, {
          containerId: p.id,
        });
        return answer(context, event, { ok: false, error: 'process.json: missing' });
      }
      const result = context.ports.runtime.exec(p.id, p.execId, p.process);
      syscall(
        context,
        'kernel.setnsAll',
        `setns(mnt,uts,ipc,pid,net of ${short(p.id)}); execve(${args})`,
        { containerId: p.id },
        undefined,
        unmodelledNote(context, p.id, p.execId),
      );
      answer(context, event, result);
    },
    /**
     * `runc run` (BuildKit's runc executor): create and start in one invocation, then stay as the
     * process's parent; runc answers only when it has reaped it, and removes the container.
     */
    runcRun: ({ context, event }) => {
      const p = payloadOf(event);
      if (!p.spec) return answer(context, event, { ok: false, error: 'config.json: no spec in bundle' });
      createSyscalls(context, p.id, p.spec);
      const result = context.ports.runtime.run(p.id, p.bundle ?? '', p.spec);
      if (!result.ok) return answer(context, event, result);
      syscall(
        context,
        'kernel.runExec',
        `runc init: execve(${p.spec.process.args.join(' ').slice(0, 60)})`,
        { containerId: p.id },
        undefined,
        unmodelledNote(context, p.id),
      );
      context.foreground.set(p.id, event.msg);
    },
    reapForeground: ({ context, event }) => {
      const e = event.msg.payload as unknown as ProcessEvent;
      if (e.type !== 'exit' || e.execId) return;
      const request = context.foreground.get(e.containerId);
      if (!request) return;
      context.foreground.delete(e.containerId);
      context.ports.runtime.delete(e.containerId);
      syscall(context, 'kernel.runCleanup', `rmdir cgroup; remove ${short(e.containerId)} state (runc run)`, {
        containerId: e.containerId,
        gone: true,
      });
      context.wire.reply(
        request,
        replyDraft(request.op, `exit ${e.status}`, {
          payload: { exitStatus: e.status, pid: e.pid },
          status: `exit ${e.status}`,
          params: { code: e.status },
        }),
      );
    },
    runcDelete: ({ context, event }) => {
      const p = payloadOf(event);
      const root =
        p.namespace === undefined ? '/run/docker/runtime-runc/moby' : `/run/containerd/runc/${p.namespace}`;
      syscall(context, 'kernel.cleanup', `rmdir cgroup; remove ${root}/${short(p.id)}…`, {
        containerId: p.id,
        gone: true,
      });
      answer(context, event, context.ports.runtime.delete(p.id));
    },
  },
}).createMachine({
  id: 'runc',
  context: ({ input }) => ({ ...input, foreground: new Map<string, Message>() }),
  on: {
    'runc.run': { actions: 'runcRun' },
    'kernel.exit': { actions: 'reapForeground' },
    'runc.create': { actions: 'runcCreate' },
    'runc.start': { actions: 'runcStart' },
    'runc.kill': { actions: 'runcKill' },
    'runc.pause': { actions: 'runcPause' },
    'runc.resume': { actions: 'runcResume' },
    'runc.exec': { actions: 'runcExec' },
    'runc.delete': { actions: 'runcDelete' },
  },
});
