import { parseReference, type ImageConfig } from '../../../model/image.ts';
import { replyOf } from '../../catalogue.ts';
import type { CtrdImage } from '../../containerd/imageService.ts';
import type { Daemon } from '../daemon.ts';
import type { ImageRecord } from '../records.ts';
import { asMessage } from './request.ts';

/** Normalise what the user typed (`nginx`, `docker.io/library/nginx`) to the store's key. */
export function normalise(ref: string): string {
  try {
    return parseReference(ref).string;
  } catch {
    return ref;
  }
}

/** `byConfig`: the id is the config digest (Daemon.namesByConfig), else Engine 29's target digest. */
export function fromCtrd(image: CtrdImage, byConfig = false): ImageRecord {
  return {
    name: image.name,
    id: byConfig ? image.configDigest : image.target.digest,
    repoDigest: image.local === true ? '' : image.target.digest,
    target: image.target,
    manifestDigest: image.manifestDigest,
    config: JSON.parse(image.config) as ImageConfig,
    configText: image.config,
    layers: image.layers,
    createdMs: image.createdMs,
    ...(image.base === undefined ? {} : { base: image.base }),
  };
}

/**
 * Find an image by reference or id. Profile v29 asks containerd's image service
 * (`Images.Get` over gRPC); profile classic looks in dockerd's own image store.
 */
export function* lookupImage(
  d: Daemon,
  ref: string,
): Generator<ReturnType<Daemon['call']>, ImageRecord | undefined, unknown> {
  const name = normalise(ref);
  if (d.profile === 'classic') {
    d.self('dockerd.imageStore.get', `image store: lookup ${name}`, { params: { ref: name } });
    return findLocal(d, ref, name);
  }
  const reply = asMessage(
    yield d.call('containerd', 'ctrd.Images.Get', `Images.Get(${name})`, {
      payload: { name },
      params: { ref: name },
    }),
  );
  const got = replyOf(reply, 'ctrd.Images.Get');
  if (got.ok) return fromCtrd(got.payload, d.namesByConfig);
  // Not a name: an image id or a unique prefix of one, which dockerd finds by listing
  // (moby daemon/containerd/image.go GetImage; the classic store's findLocal does the same).
  const hex = idPrefix(ref);
  if (hex === undefined) return undefined;
  const all = yield* listImages(d);
  const ids = new Set(all.filter((i) => i.id.slice(7).startsWith(hex)).map((i) => i.id));
  return ids.size === 1 ? all.find((i) => ids.has(i.id)) : undefined;
}

/** The hex digits of what looks like an image id or a prefix of one (`sha256:` optional). */
function idPrefix(ref: string): string | undefined {
  const m = /^(?:sha256:)?([0-9a-f]{1,64})$/.exec(ref);
  return m?.[1];
}

/** The classic store: a reference, else an id or id prefix (tagged or `<none>` images). */
export function findLocal(d: Daemon, ref: string, name: string): ImageRecord | undefined {
  const byName = d.images.get(name);
  if (byName) return byName;
  const hex = ref.replace(/^sha256:/, '');
  if (hex.length < 4 || !/^[0-9a-f]+$/.test(hex)) return undefined;
  for (const image of [...d.images.values(), ...d.untagged.values(), ...d.built.values()])
    if (image.id.slice(7).startsWith(hex)) return image;
  return undefined;
}

/** All images (for `docker images`, `rmi` conflicts): containerd's `Images.List` or the local store. */
export function* listImages(d: Daemon): Generator<ReturnType<Daemon['call']>, ImageRecord[], unknown> {
  if (d.profile === 'classic') {
    d.self('dockerd.imageStore.list', 'image store: list /var/lib/docker/image/overlay2/repositories.json');
    return [...d.images.values()];
  }
  const reply = asMessage(yield d.call('containerd', 'ctrd.Images.List', 'Images.List(namespace=moby)'));
  const listed = replyOf(reply, 'ctrd.Images.List');
  return listed.ok ? listed.payload.map((i) => fromCtrd(i, d.namesByConfig)) : [];
}

/** An image found by what the user typed: its id, every record (name) of it, and the one named. */
export interface FoundRecords {
  id: string;
  records: ImageRecord[];
  /** The record the input named, when it named one (not an id). */
  named?: ImageRecord;
}

/** moby GetImage's order over a list of records: a full id, a stored name, an unambiguous id prefix. */
export function findRecords(images: readonly ImageRecord[], target: string): FoundRecords | undefined {
  const byId = (id: string): FoundRecords | undefined => {
    const records = images.filter((r) => r.id === id);
    return records.length === 0 ? undefined : { id, records };
  };
  if (/^sha256:[a-f0-9]{64}$/.test(target)) return byId(target);
  const named = images.find((r) => r.name === normalise(target));
  if (named !== undefined) return { ...(byId(named.id) ?? { id: named.id, records: [named] }), named };
  const hex = idPrefix(target);
  if (hex === undefined) return undefined;
  const ids = new Set(images.filter((r) => r.id.slice(7).startsWith(hex)).map((r) => r.id));
  return ids.size === 1 ? byId([...ids][0] ?? '') : undefined;
}
