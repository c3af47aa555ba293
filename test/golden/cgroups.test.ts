import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';

/**
 * The host's cgroups are one story per profile: `docker info` names the driver and version, and
 * runc and the kernel use that host's files. Classic is the recorded 20.10 host (cgroup v1,
 * cgroupfs: test/fixtures/real-engine/VERSIONS.txt); v29 is a cgroup v2 host with systemd, where
 * dockerd's default driver is systemd (moby docker-v29.0.0 daemon/daemon_unix.go).
 */
const LINES = [
  'docker info',
  'docker run -d -m 64m --name sl busybox sleep 600',
  'docker pause sl',
  'docker unpause sl',
  'docker run -m 8m busybox sh -c "x=a; while true; do x=$x$x; done"',
];

function run(profile: Profile) {
  const trace = new Simulation(LINES, { profile, setup: ['docker pull busybox'] }).runToEnd();
  const call = (op: string) => messagesOf(trace).find((m) => m.op === op)?.call ?? '';
  const narration = (op: string) => messagesOf(trace).find((m) => m.op === op)?.narration.key ?? '';
  return { info: cliOutput(trace), call, narration };
}

describe('cgroups: docker info and the kernel tell the same host', () => {
  it('classic: cgroup v1 with cgroupfs, /docker/<id> under each controller, freezer.state, memory.oom_control', () => {
    const { info, call, narration } = run('classic');
    expect(info).toContain(' Cgroup Driver: cgroupfs\n Cgroup Version: 1\n');
    expect(call('kernel.cgroup')).toMatch(
      /^mkdir \/sys\/fs\/cgroup\/\{cpu,memory,pids,…\}\/docker\/[0-9a-f]{64}; cgroup\.procs ← runc init$/,
    );
    expect(call('kernel.limits')).toBe('runc init ready: pids.max=max, memory.limit_in_bytes=67108864');
    expect(call('kernel.freeze')).toBe('echo FROZEN > freezer.state');
    expect(call('kernel.thaw')).toBe('echo THAWED > freezer.state');
    expect(call('kernel.oom')).toBe('memory.oom_control eventfd: oom_kill 1');
    expect(['kernel.cgroup', 'kernel.freeze', 'kernel.thaw', 'kernel.oom'].map(narration)).toEqual([
      'kernel.cgroup.v1',
      'kernel.freeze.v1',
      'kernel.thaw.v1',
      'kernel.oom.v1',
    ]);
  });

  it('runc joins the cgroup first, then the namespaces, and writes the limits when init is ready', () => {
    const trace = new Simulation(['docker run -d -m 64m --name sl busybox sleep 600'], {
      setup: ['docker pull busybox'],
    }).runToEnd();
    const ops = messagesOf(trace)
      .filter((m) => m.from === 'runc' && m.to === 'Kernel')
      .map((m) => m.op);
    expect(ops).toEqual([
      'kernel.cgroup',
      'kernel.clone',
      'kernel.pivotRoot',
      'kernel.limits',
      'kernel.execFifo',
      'kernel.execve',
    ]);
  });

  it('v29: cgroup v2 with systemd, a docker-<id>.scope, cgroup.freeze, memory.events', () => {
    const { info, call } = run('v29');
    expect(info).toContain(' Cgroup Driver: systemd\n Cgroup Version: 2\n');
    expect(call('kernel.cgroup')).toMatch(
      /^mkdir \/sys\/fs\/cgroup\/system\.slice\/docker-[0-9a-f]{64}\.scope; cgroup\.procs ← runc init$/,
    );
    expect(call('kernel.limits')).toBe('runc init ready: pids.max=max, memory.max=67108864');
    expect(call('kernel.freeze')).toBe('echo 1 > cgroup.freeze');
    expect(call('kernel.oom')).toBe('memory.events: oom_kill 1');
  });
});
