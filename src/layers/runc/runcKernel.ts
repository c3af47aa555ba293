import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { LinuxResources, OciSpec } from '../../model/oci.ts';
import type { RuntimeResult } from '../../ports/runtime.ts';
import { cgroupHost, cgroupNarration } from '../../model/cgroupHost.ts';
import type { LayerInput } from '../ports.ts';
import type { Jobs } from '../effect.ts';
import { draft, replyDraft } from '../post.ts';
import type { RuncObserved } from './runcEffects.ts';

/**
 * What runc does in the kernel, as runc → Kernel messages, and runc's answer to the shim. In the
 * simulation the messages follow the spec; in real mode they carry what was observed on the host
 * (observedCreate: the init's namespaces, cgroup and root mount read from /proc).
 */
export type RuncCtx = LayerInput & {
  /** `runc run` requests whose process still runs: runc answers when it has reaped it. */
  foreground: Map<string, Message>;
  jobs: Jobs;
};

/**
 * The cgroup v2 files `runc update` writes for the resources it reads, in its order (runc
 * libcontainer/cgroups/fs2 memory.go, cpu.go, pids.go): memory.swap.max is the swap alone (the
 * spec's memory.swap counts memory too; cgroups/utils.go ConvertMemorySwapToCgroupV2Value).
 */
export function cgroupV2Limits(r: LinuxResources): Record<string, string> {
  const limits: Record<string, string> = {};
  const memory = r.memory?.limit;
  const swap = r.memory?.swap;
  if (memory !== undefined) limits['memory.max'] = memory === -1 ? 'max' : String(memory);
  if (swap !== undefined) limits['memory.swap.max'] = swap === -1 ? 'max' : String(swap - (memory ?? 0));
  if (r.cpu?.quota !== undefined) limits['cpu.max'] = `${r.cpu.quota} ${r.cpu.period ?? 100_000}`;
  if (r.pids !== undefined) limits['pids.max'] = r.pids.limit < 0 ? 'max' : String(r.pids.limit);
  return limits;
}

/**
 * The cgroup v1 files `runc update` writes for the same resources on a v1 host with the cgroupfs
 * driver (runc libcontainer/cgroups/fs memory.go setMemoryAndSwap, cpu.go, pids.go): the spec's
 * memory.swap is memory plus swap, which is what memory.memsw.limit_in_bytes takes as it is.
 */
export function cgroupV1Limits(r: LinuxResources): Record<string, string> {
  const limits: Record<string, string> = {};
  const memory = r.memory?.limit;
  const swap = r.memory?.swap;
  if (memory !== undefined) limits['memory.limit_in_bytes'] = String(memory);
  if (swap !== undefined) limits['memory.memsw.limit_in_bytes'] = String(swap);
  if (r.cpu?.quota !== undefined) {
    limits['cpu.cfs_period_us'] = String(r.cpu.period ?? 100_000);
    limits['cpu.cfs_quota_us'] = String(r.cpu.quota);
  }
  if (r.pids !== undefined) limits['pids.max'] = r.pids.limit < 0 ? 'max' : String(r.pids.limit);
  return limits;
}

export const NS_FLAGS: Record<string, string> = {
  mount: 'CLONE_NEWNS',
  uts: 'CLONE_NEWUTS',
  ipc: 'CLONE_NEWIPC',
  pid: 'CLONE_NEWPID',
  network: 'CLONE_NEWNET',
  cgroup: 'CLONE_NEWCGROUP',
  user: 'CLONE_NEWUSER',
};

export function syscall(
  ctx: RuncCtx,
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

/**
 * runc makes the container's cgroup and moves runc init into it (the cgroup manager's Apply); the
 * limits it returns are written later (Set). On a cgroup v1 host (classic) there is one
 * directory per controller; on v2 (v29) one directory, the unit's.
 */
function cgroupJoin(ctx: RuncCtx, id: string, spec: OciSpec): Record<string, string> {
  const host = cgroupHost(ctx.profile);
  const mem = spec.linux.resources.memory?.limit;
  const limits: Record<string, string> = { 'pids.max': String(spec.linux.resources.pids?.limit ?? 'max') };
  limits[host.memoryLimit] = mem === undefined ? (host.version === 1 ? 'unlimited' : 'max') : String(mem);
  const path = spec.linux.cgroupsPath;
  const v1 = host.version === 1 && path.startsWith('/');
  const cg = v1 ? `/sys/fs/cgroup/memory${path}` : cgroupDir(path);
  const made = v1 ? `/sys/fs/cgroup/{cpu,memory,pids,…}${path}` : cg;
  syscall(
    ctx,
    'kernel.cgroup',
    `mkdir ${made}; cgroup.procs ← runc init`,
    { containerId: id, cgroup: cg },
    { cgroup: made },
    undefined,
    v1 ? cgroupNarration('kernel.cgroup', ctx.profile) : undefined,
  );
  return limits;
}

/** Joining a pod's namespaces through its pause process (`/proc/PID/ns/…`) reads differently from joining a prepared netns. */
const setnsNarration = (path: string): string | undefined =>
  path.startsWith('/proc/') ? 'kernel.setns.pod' : undefined;

/**
 * The process model simulates the catalogue's programs; anything else still runs (it exists in
 * the image) but does nothing, and the narration of its execve says so rather than faking it.
 */
export function unmodelledNote(ctx: RuncCtx, id: string, execId?: string): string | undefined {
  const proc = ctx.ports.runtime.processes().find((p) => p.containerId === id && p.execId === execId);
  return proc && !proc.modeled ? 'fidelity.unmodelled' : undefined;
}

/**
 * The invocation as it really ran (real mode), before its outcome: runc's argv without the
 * binary's directory and the log flags the shim always adds.
 */
function ran(observed: RuncObserved | undefined): string {
  if (!observed || observed.argv.length === 0) return '';
  const argv = observed.argv.map((a, i) => (i === 0 ? (a.split('/').at(-1) ?? a) : a));
  const shown = argv.filter(
    (a, i) =>
      !['--log', '--log-format'].includes(a) && !['--log', '--log-format'].includes(argv[i - 1] ?? ''),
  );
  return `${shown.join(' ')} → `;
}

export function answer(
  ctx: RuncCtx,
  msg: Message,
  result: RuntimeResult,
  okCall = 'exit 0',
  observed?: RuncObserved,
): void {
  // Real mode: the argv runc really ran with and its exit status, as the recorder logged them.
  const seen: JsonObject = observed ? { argv: observed.argv, exitStatus: observed.exitStatus } : {};
  if (result.ok) {
    const payload: JsonObject = { ...seen };
    if (result.pid !== undefined) payload.pid = result.pid;
    ctx.wire.reply(
      msg,
      replyDraft(msg.op, ran(observed) + (result.pid ? `${okCall} (pid ${result.pid})` : okCall), {
        payload,
        status: 'exit 0',
      }),
    );
  } else {
    const code = observed?.exitStatus ?? 1;
    ctx.wire.reply(
      msg,
      replyDraft(msg.op, `${ran(observed)}exit ${code}: ${result.error}`, {
        ok: false,
        status: `exit ${code}`,
        payload: { ...seen, error: result.error, exitCode: result.exitCode ?? 1 },
        narration: `${msg.op}.failed`,
      }),
    );
  }
}

/**
 * `runc create`'s work in the kernel, in runc's order (v1.1.5 libcontainer/process_linux.go
 * initProcess.start, nsenter/nsexec.c): runc init starts and is put in the container's cgroup
 * first; it joins the namespaces the spec names (setns), then unshare()s the new ones, the cgroup
 * namespace last; it mounts and pivots into the root; the limits are written when it reports
 * ready (procReady); then it waits on exec.fifo.
 */
export function createSyscalls(ctx: RuncCtx, id: string, spec: OciSpec) {
  const fresh = spec.linux.namespaces.filter((n) => !n.path).map((n) => NS_FLAGS[n.type] ?? n.type);
  const joined = spec.linux.namespaces.filter((n) => n.path);
  const namespaces = spec.linux.namespaces.map((n) => n.type);
  const limits = cgroupJoin(ctx, id, spec);
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
  const first = fresh.filter((f) => f !== 'CLONE_NEWCGROUP');
  const cgroupns = fresh.includes('CLONE_NEWCGROUP') ? '; later unshare(CLONE_NEWCGROUP)' : '';
  syscall(
    ctx,
    'kernel.clone',
    `runc init: unshare(${first.join('|')})${cgroupns}`,
    { containerId: id, namespaces },
    { flags: fresh.join('|') },
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
  const written = Object.entries(limits).map(([k, v]) => `${k}=${v}`);
  syscall(
    ctx,
    'kernel.limits',
    `runc init ready: ${written.join(', ')}`,
    { containerId: id, limits },
    {
      limits: written.join(', '),
    },
  );
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

/**
 * A real `runc create`'s kernel work as the host showed it once runc had exited: the namespaces
 * the init does not share with the host, its cgroup with the limits in its files, its root mount.
 */
export function observedCreate(ctx: RuncCtx, id: string, seen: RuncObserved): void {
  const fresh = (seen.namespaces ?? []).filter((n) => n.fresh);
  const flags = fresh.map((n) => NS_FLAGS[n.type] ?? n.type).join('|');
  const inodes = fresh.map((n) => `${n.type}:[${n.inode}]`).join(' ');
  syscall(
    ctx,
    'kernel.clone',
    `runc init pid ${seen.pid ?? '?'} in new namespaces (${flags}): ${inodes}`,
    {
      containerId: id,
      namespaces: fresh.map((n) => n.type),
      inodes: Object.fromEntries(fresh.map((n) => [n.type, n.inode])),
    },
    { flags },
  );
  if (seen.cgroup) {
    const limits = Object.entries(seen.cgroup.limits).map(([k, v]) => `${k}=${v}`);
    syscall(
      ctx,
      'kernel.cgroup',
      `${seen.cgroup.path}: ${limits.join('; ')}; cgroup.procs ∋ ${seen.pid ?? '?'}`,
      { containerId: id, cgroup: seen.cgroup.path, limits: seen.cgroup.limits },
      { cgroup: seen.cgroup.path },
    );
  }
  syscall(ctx, 'kernel.pivotRoot', `pivot_root: / of pid ${seen.pid ?? '?'} is ${seen.root ?? '?'}`, {
    containerId: id,
    root: seen.root ?? '',
  });
}
