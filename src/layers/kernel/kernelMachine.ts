import { assign, setup, spawnChild } from 'xstate';
import type { WireEvent } from '../../wire/wire.ts';
import { operationMachine, TopicWaiters } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { dockerdGone, hostAction, type HostState } from './hostActions.ts';

/**
 * The kernel as a participant: it receives the system calls runc makes (clone, setns, mount,
 * pivot_root, cgroup writes, kill) and keeps what they built — each container's namespaces,
 * cgroup and root mount — so the views can show them. It sends process output, OOM and exit
 * notifications to the shim (posted by the runtime port's listener). It also carries out the
 * host actions a lesson types (pkill, systemctl, allocate: hostActions.ts), and so knows whether
 * dockerd runs.
 * man 7 namespaces, man 7 cgroups, man 2 pivot_root.
 */
export interface KernelRecord {
  namespaces: string[];
  cgroup?: string;
  limits: Record<string, string>;
  root?: string;
  frozen: boolean;
  pid?: number;
  /** Bind mounts made into the container's mount namespace, `source → destination (ro)`. */
  binds?: string[];
}

interface SyscallPayload {
  containerId: string;
  namespaces?: string[];
  cgroup?: string;
  limits?: Record<string, string>;
  root?: string;
  frozen?: boolean;
  pid?: number;
  binds?: string[];
  gone?: boolean;
}

const DOCKERD_BOOT_PID = 812;

type Ctx = LayerInput & { containers: Record<string, KernelRecord>; host: HostState; waiters: TopicWaiters };

export const kernelMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  guards: {
    /** Child actors' completion events (xstate.done.actor.*) carry no wire message. */
    isWireMessage: ({ event }) => 'msg' in event && event.msg !== undefined,
  },
  actors: { operation: operationMachine },
  actions: {
    runHostAction: spawnChild('operation', {
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.waiters,
        program: hostAction(context.host, event.msg),
      }),
    }),
    /** dockerd's exit_group(2) after a graceful shutdown. */
    dockerdExited: ({ context }) => {
      dockerdGone(context.host);
      context.waiters.notify('dockerd:exited', 0);
    },
    /** sd_notify(READY=1): dockerd's API is listening. */
    dockerdReady: ({ context }) => context.waiters.notify('dockerd:ready', 0),
    recordSyscall: assign({
      containers: ({ context, event }) => {
        const p = event.msg.payload as unknown as SyscallPayload | undefined;
        if (!p?.containerId) return context.containers;
        const { [p.containerId]: before, ...rest } = context.containers;
        if (p.gone) return rest;
        const rec: KernelRecord = before ?? { namespaces: [], limits: {}, frozen: false };
        const next: KernelRecord = {
          ...rec,
          namespaces: p.namespaces ?? rec.namespaces,
          limits: { ...rec.limits, ...p.limits },
          frozen: p.frozen ?? rec.frozen,
        };
        if (p.cgroup ?? rec.cgroup) next.cgroup = p.cgroup ?? rec.cgroup;
        if (p.root ?? rec.root) next.root = p.root ?? rec.root;
        if (p.pid ?? rec.pid) next.pid = p.pid ?? rec.pid;
        if (p.binds) next.binds = [...(rec.binds ?? []), ...p.binds];
        return { ...rest, [p.containerId]: next };
      },
    }),
  },
}).createMachine({
  id: 'kernel',
  context: ({ input }) => ({
    ...input,
    containers: {},
    waiters: new TopicWaiters(),
    // dockerd started at boot, long before any container: a low pid, and no seeded id used up.
    host: {
      wire: input.wire,
      runtime: input.ports.runtime,
      dockerd: { pid: DOCKERD_BOOT_PID, up: true },
      nextPid: () => input.ports.ids.pid(),
    },
  }),
  on: {
    'host.action': { actions: 'runHostAction' },
    'host.exited': { actions: 'dockerdExited' },
    'host.ready': { actions: 'dockerdReady' },
    '*': { guard: 'isWireMessage', actions: 'recordSyscall' },
  },
});
