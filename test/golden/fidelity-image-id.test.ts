import { describe, expect, it } from 'vitest';
import { simulate } from './fidelity-fixture.ts';

/**
 * An image's id. The classic store names an image by its config's digest, which is not the
 * digest `docker pull` prints (the manifest list's). Engine 29's containerd image store names it
 * by its target, the index or manifest the name points at, so the digest the pull prints is the
 * id `docker images` and `docker inspect` show (moby docker-v29.0.0 daemon/containerd/image.go
 * GetImage: image.ID(img.Target.Digest); image_list.go: ID is target.Digest). Not recorded here
 * (no Engine 29 on this machine): checked against those sources.
 */
const lines = [
  'docker pull busybox',
  'docker images -q --no-trunc',
  'docker inspect --format {{.Id}} busybox',
  'docker create --name web busybox',
  'docker inspect --format {{.Image}} web',
];

function ids(profile: 'classic' | 'v29') {
  const [pull, images, inspect, , container] = simulate(lines, { profile });
  const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(pull?.stdout ?? '')?.[1];
  return {
    digest,
    listed: images?.stdout.trim(),
    inspected: inspect?.stdout.trim(),
    container: container?.stdout.trim(),
  };
}

describe('fidelity: the image id in each image store', () => {
  it('v29: the id is the digest the pull printed, in images, inspect and the container', () => {
    const { digest, listed, inspected, container } = ids('v29');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(listed).toBe(digest);
    expect(inspected).toBe(digest);
    expect(container).toBe(digest);
  });

  it('classic: the id is the config digest, not the digest the pull printed', () => {
    const { digest, listed, inspected, container } = ids('classic');
    expect(listed).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(listed).not.toBe(digest);
    expect(inspected).toBe(listed);
    expect(container).toBe(listed);
  });
});
