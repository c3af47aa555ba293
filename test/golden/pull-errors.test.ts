import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/trace.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/**
 * A reference that does not resolve fails before any progress: an HTTP 404 with docker's text.
 * Classic words it as dockerd 20.10's distribution client does (distribution/errors.go); Engine 29
 * as moby's containerd image store words containerd's resolver errors (moby docker-v29.0.0
 * daemon/containerd/image_pull.go pullTag: ErrInvalidAuthorization → "pull access denied";
 * containerd v2.1.5 core/remotes/docker/resolver.go: a 404 is "<ref>: not found").
 */
const denied: Record<Profile, string> = {
  classic:
    "pull access denied for nosuch/image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
  v29: "pull access denied for nosuch/image, repository does not exist or may require 'docker login'",
};
const unknownTag: Record<Profile, string> = {
  classic: 'manifest for busybox:nosuchtag not found: manifest unknown: manifest unknown',
  v29: 'failed to resolve reference "docker.io/library/busybox:nosuchtag": docker.io/library/busybox:nosuchtag: not found',
};

const sim = (lines: string[], profile: Profile) => new Simulation(lines, { profile }).runToEnd();

describe.each(['classic', 'v29'] as const)('pull errors (%s)', (profile) => {
  it('docker pull of an unknown repository: the error, exit 1, no image', () => {
    const trace = sim(['docker pull nosuch/image', 'docker images -q'], profile);
    expect(cliOutput(trace)).toBe(
      `$ docker pull nosuch/image\nUsing default tag: latest\nError response from daemon: ${denied[profile]}\n$ docker images -q\n`,
    );
    expect(
      trace.entries.filter((e) => e.type === 'exit').map((e) => (e.type === 'exit' ? e.code : -1)),
    ).toEqual([1, 0]);
  });

  it('docker run of an unknown repository: docker: prefix, the run help, exit 125, no second create', () => {
    const trace = sim(['docker run nosuch/image'], profile);
    expect(cliOutput(trace)).toBe(
      `$ docker run nosuch/image\nUnable to find image 'nosuch/image:latest' locally\ndocker: Error response from daemon: ${denied[profile]}\n\nRun 'docker run --help' for more information\n`,
    );
    expect(trace.entries.find((e) => e.type === 'exit')).toMatchObject({ code: 125 });
    const creates = trace.entries.filter(
      (e) => e.type === 'message' && e.message.op === 'api.containers.create' && e.message.kind === 'request',
    );
    expect(creates).toHaveLength(1);
  });

  it('an unknown tag: not found', () => {
    const out = cliOutput(sim(['docker pull busybox:nosuchtag'], profile));
    expect(out).toContain(`Error response from daemon: ${unknownTag[profile]}\n`);
  });
});

/**
 * The requests that resolve a tag. Recorded for 20.10 (a private dockerd pulling from a loopback
 * registry: test/fixtures/real-engine/pull-streams/registry-access.log): the ping, then HEAD by
 * tag, then GET by digest. Engine 29's resolver sends no ping: its HEAD gets the 401.
 */
describe('tag resolution', () => {
  const registryCalls = (profile: Profile) =>
    messagesOf(sim(['docker pull busybox'], profile))
      .filter((m) => m.to === 'Registry')
      .map((m) => m.call.replace(/sha256:[0-9a-f]{64}/, 'sha256:…'))
      .slice(0, 5);

  it('classic: ping, token, HEAD by tag, GET by digest', () => {
    expect(registryCalls('classic')).toEqual([
      'GET /v2/',
      'GET https://auth.docker.io/token?scope=repository:library/busybox:pull&service=registry.docker.io',
      'HEAD /v2/library/busybox/manifests/latest',
      'GET /v2/library/busybox/manifests/sha256:…',
      'GET /v2/library/busybox/manifests/sha256:…',
    ]);
  });

  it('v29: the HEAD first (401), the token, the HEAD again, GET by digest', () => {
    const trace = sim(['docker pull busybox'], 'v29');
    const answers = messagesOf(trace)
      .filter((m) => m.from === 'Registry')
      .map((m) => m.call);
    expect(registryCalls('v29')).toEqual([
      'HEAD /v2/library/busybox/manifests/latest',
      'GET https://auth.docker.io/token?scope=repository:library/busybox:pull&service=registry.docker.io',
      'HEAD /v2/library/busybox/manifests/latest',
      'GET /v2/library/busybox/manifests/sha256:…',
      'GET /v2/library/busybox/manifests/sha256:…',
    ]);
    expect(answers.slice(0, 3)).toEqual(['401 Unauthorized', '200 OK', '200 OK']);
  });
});

/** The per-layer progress each engine writes for a download that finished. */
describe('pull progress', () => {
  it('classic says "Verifying Checksum" before "Download complete"; Engine 29 does not', () => {
    const out = (profile: Profile) => cliOutput(sim(['docker pull busybox'], profile));
    expect(out('classic')).toMatch(/: Verifying Checksum\n[0-9a-f]{12}: Download complete\n/);
    // moby docker-v29.0.0 daemon/containerd/progress.go: no such status.
    expect(out('v29')).not.toContain('Verifying Checksum');
    expect(out('v29')).toMatch(/: Download complete\n/);
  });
});
