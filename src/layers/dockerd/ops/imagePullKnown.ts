// What dockerd has already when a pull starts: what the name pointed at (it decides the final
// status line) and whether the image's config is here (then no layer lines are sent).
import { parseReference, type ImageReference } from '../../../model/image.ts';
import { replyOf } from '../../catalogue.ts';
import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { PullHost } from './imagePull.ts';
import { asMessage } from './request.ts';

type Gen<T> = Generator<ReturnType<Daemon['call']> | Effect, T, unknown>;

/**
 * What the name pointed at before the pull, to word the final status: profile v29 asks
 * containerd's image store first (moby daemon/containerd/image_pull.go pullTag: resolveImage,
 * then the target digests compared; a name pinned by digest is any image of its repository with
 * that target), classic reads its own reference store (moby distribution/pull_v2.go pullV2Tag:
 * the image ids compared). BuildKit keeps no image record.
 */
export function* previousImage(d: PullHost, ref: ImageReference): Gen<string | undefined> {
  if (d.keepsImage === false) return undefined;
  const repository = `${ref.domain}/${ref.path}`;
  const sameRepository = (name: string): boolean => {
    const r = parseReference(name);
    return `${r.domain}/${r.path}` === repository;
  };
  if (d.profile === 'classic') {
    // A pull records the digest reference too (pull_v2.go addDigestReference).
    if (ref.digest === undefined) return d.images.get(ref.string)?.id;
    return [...d.images.values()].find((r) => r.repoDigest === ref.digest && sameRepository(r.name))?.id;
  }
  if (ref.digest !== undefined) {
    // resolveImage of a digested name: an image of the same repository with that target.
    const listed = asMessage(
      yield d.call(
        'containerd',
        'ctrd.Images.List',
        `Images.List(target.digest==${ref.digest.slice(0, 19)}…)`,
        { payload: { filters: [`target.digest==${ref.digest}`] } },
      ),
    );
    const answer = replyOf(listed, 'ctrd.Images.List');
    const images = answer.ok ? answer.payload : [];
    return images.find((i) => i.target.digest === ref.digest && sameRepository(i.name))?.target.digest;
  }
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Images.Get', `Images.Get(${ref.string})`, {
      payload: { name: ref.string },
      params: { ref: ref.string },
    }),
  );
  const target = ((reply?.payload ?? {}) as { target?: { digest?: unknown } }).target;
  return reply?.ok && typeof target?.digest === 'string' ? target.digest : undefined;
}

/**
 * The image's config is here already: classic has an image with that id (moby
 * distribution/pull_v2.go pullSchema2: "If the image already exists locally, no need to pull
 * anything"), v29 has the blob in containerd's content store (moby daemon/containerd/image_pull.go:
 * nothing missing, so the layers' progress is hidden).
 */
export function configKnown(d: PullHost, configDigest: string): boolean {
  if (d.profile === 'classic') return [...d.images.values()].some((r) => r.id === configDigest);
  return d.ports.content.has(configDigest);
}
