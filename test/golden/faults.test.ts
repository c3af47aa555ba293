import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/model/faults.ts';
import type { Profile } from '../../src/model/trace.ts';
import { daemonOf } from '../../src/sim/hostSnapshot.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/**
 * Faults at a boundary and what the layers above make of them, in the words the recorded
 * Engine used (test/fixtures/real-engine/k-daemon-and-faults.txt, sections 5–7).
 */
function run(lines: string[], faults: Fault[], profile: Profile = 'v29', setup: string[] = []) {
  const sim = new Simulation(lines, { faults, profile, setup });
  const trace = sim.runToEnd();
  const out = (i: number) =>
    cliOutput({ ...trace, entries: trace.entries.filter((e) => e.type !== 'output' || e.command === i) });
  const code = (i: number) =>
    trace.entries.flatMap((e) => (e.type === 'exit' && e.command === i ? [e.code] : []))[0];
  return { sim, trace, out, code };
}

describe('registry faults', () => {
  it('classic: a registry that never answers the ping: dockerd gives up after 15 s with net/http’s text', () => {
    const { trace, out, code } = run(
      ['docker pull alpine'],
      [{ registry: { path: '/v2/', timeout: true } }],
      'classic',
    );
    expect(out(0)).toContain(
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
    );
    expect(code(0)).toBe(1);
    const msgs = messagesOf(trace);
    const ping = msgs.find((m) => m.call === 'GET /v2/');
    const gaveUp = msgs.find((m) => m.call.startsWith('GET /v2/: no answer'));
    expect((gaveUp?.at ?? 0) - (ping?.at ?? 0)).toBe(15_000);
    expect(msgs.some((m) => m.from === 'Registry')).toBe(false);
  });

  // Engine 29's resolver sends no ping and sets no deadline of its own (containerd v2.1.5
  // core/remotes/docker/config/hosts.go: an http.Client without Timeout): its first request is
  // the HEAD, which waits for as long as the client does.
  it('v29: no ping, so no 15 s deadline: the HEAD that is never answered waits', () => {
    const { trace, code } = run(['docker pull alpine'], [{ registry: { path: '/v2/', timeout: true } }]);
    const msgs = messagesOf(trace);
    expect(msgs.some((m) => m.call === 'GET /v2/')).toBe(false);
    expect(msgs.find((m) => m.to === 'Registry')?.call).toBe('HEAD /v2/library/alpine/manifests/latest');
    expect(msgs.some((m) => m.call.includes('no answer'))).toBe(false);
    expect(code(0)).toBeUndefined();
  });
});

describe('registry faults: status answers', () => {
  const statusTexts = {
    classic: [
      'Error response from daemon: received unexpected HTTP status: 503 Service Unavailable',
      'Error response from daemon: toomanyrequests: You have reached your pull rate limit.',
    ],
    // containerd's resolver reads no body from a HEAD, so dockerd has no registry error to
    // quote (moby docker-v29.0.0 daemon/containerd/registry_errors.go translateRegistryError).
    v29: [
      'Error response from daemon: unknown: failed to resolve reference "docker.io/library/nginx:latest": unexpected status from HEAD request to https://registry-1.docker.io/v2/library/nginx/manifests/latest: 503 Service Unavailable',
      'Error response from daemon: unknown: failed to resolve reference "docker.io/library/redis:latest": unexpected status from HEAD request to https://registry-1.docker.io/v2/library/redis/manifests/latest: 429 Too Many Requests',
    ],
  };
  for (const profile of ['classic', 'v29'] as const)
    it(`${profile}: 5xx and 429 answers become docker’s texts; the fault can be limited to a number of requests`, () => {
      // dockerd 20.10 sends a failed HEAD again as a GET to read the error (distribution's
      // tags.Get): a fault on one request only would be answered by the GET.
      const times = profile === 'classic' ? 2 : 1;
      const faults: Fault[] = [
        { registry: { path: '/v2/library/nginx/manifests/', status: 503, times } },
        { registry: { path: '/v2/library/redis/manifests/', status: 429 } },
      ];
      const { out, code, sim } = run(
        ['docker pull nginx', 'docker pull redis', 'docker pull nginx'],
        faults,
        profile,
      );
      const [first = '', second = ''] = statusTexts[profile];
      expect(out(0)).toContain(first);
      expect(out(1)).toContain(second);
      expect([code(0), code(1), code(2)]).toEqual([1, 1, 0]);
      expect(
        daemonOf(sim.world)
          .events.filter((e) => e.Action === 'pull')
          .map((e) => e.Actor.ID),
      ).toEqual(['nginx:latest']);
    });

  it('is not in force while a lesson’s world is built', () => {
    const { code } = run(
      ['docker pull nginx'],
      [
        { registry: { path: '/v2/', status: 500 } },
        { registry: { path: '/v2/library/nginx/', status: 404 } },
      ],
      'v29',
      ['docker pull busybox'],
    );
    expect(code(0)).toBe(1);
  });
});

describe('disk full while unpacking', () => {
  for (const profile of ['v29', 'classic'] as const) {
    it(`${profile}: the layer that does not fit fails with ENOSPC and its half-written snapshot is removed`, () => {
      const { sim, out, code } = run(
        ['docker pull nginx', 'docker images'],
        [{ disk: { free: 20_000_000 } }],
        profile,
      );
      expect(code(0)).toBe(1);
      const text = out(0);
      expect(text).toContain('Download complete');
      expect(text).toMatch(
        profile === 'classic'
          ? /failed to register layer: Error processing tar file\(exit status 1\): write \/usr\/\S+: no space left on device/
          : /failed to extract layer sha256:[0-9a-f]{64}: write \/var\/lib\/containerd\/io\.containerd\.snapshotter\.v1\.overlayfs\/snapshots\/1\/fs\/\S+: no space left on device: unknown/,
      );
      const driver = profile === 'classic' ? sim.world.ports.graphdriver : sim.world.ports.snapshotter;
      expect(driver.list()).toEqual([]);
      expect(out(1)).not.toMatch(/^nginx\s/m);
    });
  }
});

describe('a port already in use on the host', () => {
  it('the start fails at the port after Tasks.Create; the container stays Created with exit code 128', () => {
    const { sim, out, code, trace } = run(
      ['docker run -d --name web -p 8080:80 nginx', 'docker run -d --name ok -p 8081:80 nginx'],
      [{ port: { port: 8080 } }],
      'v29',
      ['docker pull nginx'],
    );
    expect(out(0)).toMatch(
      /docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint web \([0-9a-f]{64}\): failed to bind host port 0\.0\.0\.0:8080\/tcp: address already in use\n\nRun 'docker run --help' for more information/,
    );
    expect([code(0), code(1)]).toEqual([125, 0]);
    const web = daemonOf(sim.world).findContainer('web');
    expect(web).toMatchObject({ exitCode: 128 });
    expect(web?.actor.getSnapshot().value).toBe('created');
    const actions = trace.entries.flatMap((e) =>
      e.type === 'docker-event' && e.event.Actor.Attributes.container === web?.id ? [e.event.Action] : [],
    );
    expect(actions).toEqual(['disconnect']);
    // Engine 29 connects the network after Tasks.Create (moby daemon/start.go,
    // initializeCreatedTask): the shim and runc create had run, and the failed start deletes the
    // task and the containerd container; Tasks.Start never comes.
    const calls = messagesOf(trace)
      .filter(
        (m) => m.command === 0 && m.from === 'dockerd' && /^(Tasks|Containers)\.|^libnetwork/.test(m.call),
      )
      .map((m) => m.call.replace(/\(.*$/, ''));
    expect(calls).toEqual([
      'Containers.Create',
      'Tasks.Create',
      'libnetwork bridge: SetKey',
      'Tasks.Delete',
      'Containers.Delete',
    ]);
    // daemon.Cleanup unmounts the root file system dockerd had mounted.
    expect(messagesOf(trace).some((m) => m.command === 0 && m.op === 'dockerd.umountRootfs')).toBe(true);
  });

  it('classic: 20.10 has docker-proxy listen, before containerd is asked, and says so', () => {
    const { out, code, trace } = run(
      ['docker run -d --name web -p 8080:80 nginx'],
      [{ port: { port: 8080 } }],
      'classic',
      ['docker pull nginx'],
    );
    expect(out(0)).toMatch(
      /docker: Error response from daemon: driver failed programming external connectivity on endpoint web \([0-9a-f]{64}\): Error starting userland proxy: listen tcp4 0\.0\.0\.0:8080: bind: address already in use\n/,
    );
    expect(code(0)).toBe(125);
    expect(messagesOf(trace).some((m) => m.command === 0 && m.to === 'containerd')).toBe(false);
  });

  it('two containers on one port: the second is refused with libnetwork’s own text', () => {
    const { out } = run(
      ['docker run -d --name one -p 9090:80 nginx', 'docker run -d --name two -p 9090:80 nginx'],
      [],
    );
    expect(out(1)).toMatch(
      /driver failed programming external connectivity on endpoint two \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:9090 failed: port is already allocated/,
    );
  });
});

describe('a program that ignores a signal', () => {
  it('redis ignoring SIGTERM is stopped by SIGKILL after the grace period; without the fault it exits 0', () => {
    const faulty = run(
      ['docker run -d --name cache redis', 'docker stop cache', 'docker ps -a'],
      [{ process: { image: 'redis', ignore: ['SIGTERM'] } }],
    );
    const healthy = run(['docker run -d --name cache redis', 'docker stop cache', 'docker ps -a'], []);
    expect(faulty.out(2)).toContain('Exited (137)');
    expect(healthy.out(2)).toContain('Exited (0)');
  });
});
