import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/model/message.ts';
import { hostSnapshot } from '../../src/sim/hostSnapshot.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { pstree } from '../../src/views/pstree.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { commandText } from './commandText.ts';

/**
 * Kubernetes through CRI: kubectl lines reach the kubelet, which drives containerd's CRI plugin;
 * no docker CLI and no dockerd take part. Golden traces (`from -> to: call` plus Mermaid) of each
 * kubectl flow, then the facts the flow must show whatever its details: the kubelet's CRI calls
 * in SyncPod's order, containerd pulling every image itself, the pod's network namespace and
 * CNI, the containers joining the pause process's namespaces, one shim per pod.
 */
const RUN = 'kubectl run web --image=nginx';

const CASES: { name: string; setup?: string[]; command: string }[] = [
  { name: 'kubectl-run', command: RUN },
  { name: 'kubectl-get-pods', setup: [RUN], command: 'kubectl get pods' },
  { name: 'kubectl-delete-pod', setup: [RUN], command: 'kubectl delete pod web' },
];

describe('golden trace of every kubectl flow', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const lines = [...(c.setup ?? []), c.command];
      const trace = new Simulation(lines).runToEnd();
      const index = lines.length - 1;
      const own = messagesOf(trace).filter((m) => m.command === index);
      expect(own.length).toBeGreaterThan(0);
      const text = commandText(trace, index, c.command);
      await expect(text).toMatchFileSnapshot(`__golden__/${c.name}.txt`);
    });
  }
});

function run(lines: string[]): { sim: Simulation; messages: Message[] } {
  const sim = new Simulation(lines);
  const trace = sim.runToEnd();
  return { sim, messages: messagesOf(trace) };
}

const criMethods = (messages: Message[], command: number): string[] =>
  messages
    .filter((m) => m.command === command && m.from === 'kubelet' && m.to === 'containerd')
    .map((m) => m.op.replace(/^cri\./, ''));

const { sim, messages } = run([RUN, 'kubectl delete pod web']);

describe('a pod through CRI: the calls', () => {
  it('has no docker CLI and no dockerd: no message goes to or from them', () => {
    expect(
      messages.filter((m) => ['CLI', 'dockerd'].includes(m.from) || ['CLI', 'dockerd'].includes(m.to)),
    ).toEqual([]);
    expect(toMermaid(sim.trace)).not.toMatch(/participant (CLI|dockerd)/);
  });

  it('the kubelet talks to containerd only (and answers the user for the API server)', () => {
    const peers = new Set(
      messages
        .filter((m) => m.from === 'kubelet' || m.to === 'kubelet')
        .map((m) => (m.from === 'kubelet' ? m.to : m.from)),
    );
    expect([...peers].sort()).toEqual(['User', 'containerd']);
  });

  it('SyncPod calls CRI in the kubelet’s order: sandbox, its status, image, container, start', () => {
    expect(criMethods(messages, 0)).toEqual([
      'RunPodSandbox',
      'PodSandboxStatus',
      'ImageStatus',
      'PullImage',
      'ImageStatus',
      'CreateContainer',
      'StartContainer',
    ]);
  });

  it('deleting the pod: stop the container, stop the sandbox, then remove both', () => {
    expect(criMethods(messages, 1)).toEqual([
      'StopContainer',
      'StopPodSandbox',
      'RemoveContainer',
      'RemovePodSandbox',
    ]);
    const exit = messages.find((m) => m.command === 1 && m.to === 'User');
    const stopSandbox = messages.find((m) => m.op === 'cri.StopPodSandbox' && m.kind === 'reply');
    // kubectl delete waits for the pod to go: after StopPodSandbox, before the clean-up.
    expect(exit && stopSandbox && exit.seq > stopSandbox.seq).toBe(true);
    expect(messages.find((m) => m.op === 'cri.StopContainer')?.call).toMatch(/timeout=30\)$/);
  });

  it('kubectl run exits at once, before the kubelet asks for anything', () => {
    const exit = messages.find((m) => m.command === 0 && m.to === 'User');
    const first = messages.find((m) => m.op === 'cri.RunPodSandbox');
    expect(exit && first && exit.seq < first.seq).toBe(true);
    expect(cliOutput(sim.trace)).toContain('pod/web created\n');
    expect(cliOutput(sim.trace)).toContain('pod "web" deleted from default namespace\n');
  });

  it('containerd pulls every image itself: the pause image for the sandbox, then nginx', () => {
    const registry = messages.filter((m) => m.from === 'Registry' || m.to === 'Registry');
    expect(new Set(registry.map((m) => (m.from === 'Registry' ? m.to : m.from)))).toEqual(
      new Set(['containerd']),
    );
    const pulls = messages.filter((m) => m.op === 'cri.transfer').map((m) => m.call);
    expect(pulls[0]).toMatch(/^Transfer\(registry registry\.k8s\.io\/pause:3\.10\.1 /);
    expect(pulls[1]).toMatch(/^Transfer\(registry docker\.io\/library\/nginx:latest /);
    // containerd resolves with HEAD and follows registry.k8s.io's redirect; it sends no GET /v2/.
    expect(registry.some((m) => m.call.endsWith('/v2/'))).toBe(false);
    expect(registry.find((m) => m.kind === 'reply')?.status).toBe('307');
  });
});

describe('a pod through CRI: on the node', () => {
  it('the pod network: a namespace containerd makes, CNI ADD loopback, bridge, portmap on cni0 (10.88.0.0/16)', () => {
    expect(messages.find((m) => m.op === 'kernel.netns')?.call).toMatch(
      /^unshare\(CLONE_NEWNET\); mount --bind .* \/var\/run\/netns\/cni-[0-9a-f-]{36}$/,
    );
    const adds = messages
      .filter((m) => m.op === 'cni.add' && m.kind === 'request')
      .map((m) => m.call.split(' ')[1]);
    expect(adds).toEqual(['/opt/cni/bin/loopback', '/opt/cni/bin/bridge', '/opt/cni/bin/portmap']);
    expect(messages.find((m) => m.narration.key === 'cni.add.bridge.reply')?.call).toMatch(
      /cni0.*eth0 10\.88\.0\.2\/16, default via 10\.88\.0\.1/,
    );
    const dels = messages
      .filter((m) => m.op === 'cni.del' && m.kind === 'request')
      .map((m) => m.call.split(' ')[1]);
    expect(dels).toEqual(['/opt/cni/bin/loopback', '/opt/cni/bin/portmap', '/opt/cni/bin/bridge']);
  });

  it('the container joins the net, ipc and uts namespaces of the pause process; pid stays its own', () => {
    const pausePid = Number(
      (messages.find((m) => m.op === 'cri.RunPodSandbox' && m.kind === 'reply')?.narration.params ?? {}).pid,
    );
    expect(pausePid).toBeGreaterThan(0);
    const setns = messages.filter((m) => m.op === 'kernel.setns').map((m) => m.call);
    expect(setns).toEqual([
      expect.stringMatching(/^setns\(\/var\/run\/netns\/cni-.*, CLONE_NEWNET\)$/),
      `setns(/proc/${pausePid}/ns/ipc, CLONE_NEWIPC)`,
      `setns(/proc/${pausePid}/ns/uts, CLONE_NEWUTS)`,
      `setns(/proc/${pausePid}/ns/net, CLONE_NEWNET)`,
    ]);
    expect(messages.filter((m) => m.op === 'kernel.clone').map((m) => m.call)).toEqual([
      'runc init: unshare(CLONE_NEWPID|CLONE_NEWIPC|CLONE_NEWUTS|CLONE_NEWNS)',
      'runc init: unshare(CLONE_NEWPID|CLONE_NEWNS); later unshare(CLONE_NEWCGROUP)',
    ]);
  });

  it('everything runs in containerd’s k8s.io namespace, apart from Docker’s moby', () => {
    const events = sim.trace.entries.flatMap((e) =>
      e.type === 'containerd-event' ? [e.event.namespace] : [],
    );
    expect(events.length).toBeGreaterThan(10);
    expect(new Set(events)).toEqual(new Set(['k8s.io']));
    expect(
      messages
        .filter((m) => m.op === 'runc.create' && m.kind === 'request')
        .every((m) => m.call.startsWith('runc --root /run/containerd/runc/k8s.io create')),
    ).toBe(true);
  });

  it('one shim serves the pod: the container’s start finds the sandbox’s socket in use', () => {
    const starts = messages.filter((m) => m.op === 'shim.start' && m.kind === 'reply');
    expect(starts).toHaveLength(2);
    const address = (m: Message) => String((m.payload as { address?: string }).address);
    expect(address(starts[1] as Message)).toBe(address(starts[0] as Message));
    expect(starts[1]?.call).toMatch(/socket in use/);
    // Only the sandbox's task shuts the shim down; the container's (it has a SandboxID) does not.
    const shutdowns = messages
      .filter((m) => m.op === 'shim.Shutdown' && m.kind === 'reply')
      .map((m) => m.call);
    expect(shutdowns).toEqual([expect.stringMatching(/^shim [0-9a-f]{12} exits$/)]);
  });

  it('nginx stops on the image’s STOPSIGNAL (SIGQUIT), the pause container on SIGKILL', () => {
    expect(
      messages
        .filter((m) => m.op === 'ctrd.Tasks.Kill' && m.kind === 'request')
        .map((m) => m.call.replace(/\(\w+…/, '(')),
    ).toEqual(['Tasks.Kill(, SIGQUIT)', 'Tasks.Kill(, SIGKILL)']);
  });

  it('after the delete nothing of the pod is left, and the node shows no dockerd', () => {
    expect(pstree(hostSnapshot(sim.world, 'v29'))).toBe(
      `systemd(1)─┬─containerd(612)\n${' '.repeat(11)}└─kubelet(833)\n`,
    );
    expect(sim.world.ports.cni.result('')).toBeUndefined();
    expect(sim.world.ports.runtime.processes()).toEqual([]);
  });
});

describe('a running pod on the host', () => {
  it('pstree: the pause process and the pod’s container under one containerd-shim', () => {
    const sim = new Simulation([RUN, 'kubectl get pods']);
    sim.runToEnd();
    const tree = pstree(hostSnapshot(sim.world, 'v29'));
    expect(tree).toMatch(
      /^systemd\(1\)─┬─containerd\(612\)\n {11}├─containerd-shim\(\d+\)─┬─nginx\(\d+\)─┬─nginx\(\d+\)\n.*\n.*└─pause\(\d+\)\n {11}└─kubelet\(833\)\n$/,
    );
    expect(tree).not.toContain('dockerd');
    const host = hostSnapshot(sim.world, 'v29');
    expect(host.containers.map((c) => c.image)).toEqual(['registry.k8s.io/pause:3.10.1', 'nginx:latest']);
    expect(host.containers[1]?.namespaces).toEqual(['pid', 'ipc', 'uts', 'mount', 'network', 'cgroup']);
  });

  it('kubectl get pods: the kubelet’s pods in kubectl’s table, and no CRI call', () => {
    const sim = new Simulation([RUN, 'kubectl get pods']);
    const trace = sim.runToEnd();
    expect(cliOutput(trace)).toMatch(
      /\$ kubectl get pods\nNAME {3}READY {3}STATUS {4}RESTARTS {3}AGE\nweb {4}1\/1 {5}Running {3}0 {10}\d+s\n$/,
    );
    expect(criMethods(messagesOf(trace), 1)).toEqual([]);
  });

  it('a program without a SIGTERM handler is killed when the grace period runs out', () => {
    const { messages } = run(['kubectl run sl --image=busybox -- sleep 1000', 'kubectl delete pod sl']);
    const kills = messages.filter((m) => m.op === 'ctrd.Tasks.Kill' && m.kind === 'request');
    expect(kills.map((m) => m.call.split(', ')[1])).toEqual(['SIGTERM)', 'SIGKILL)', 'SIGKILL)']);
    expect((kills[1]?.at ?? 0) - (kills[0]?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect(kills[1]?.block?.open?.label).toEqual({ key: 'block.graceExpired', params: { seconds: 30 } });
  });

  it('API errors come from the kubelet standing in for the API server, with kubectl’s exit 1', () => {
    const trace = new Simulation(['kubectl delete pod nosuch', RUN, RUN]).runToEnd();
    const out = cliOutput(trace);
    expect(out).toContain('Error from server (NotFound): pods "nosuch" not found\n');
    expect(out).toContain('Error from server (AlreadyExists): pods "web" already exists\n');
    expect(
      trace.entries.filter((e) => e.type === 'exit').map((e) => (e.type === 'exit' ? e.code : -1)),
    ).toEqual([1, 0, 1]);
  });
});
