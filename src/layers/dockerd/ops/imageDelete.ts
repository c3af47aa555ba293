import { familiarName } from '../../../model/image.ts';
import { replyOf } from '../../catalogue.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ImageRecord } from '../records.ts';
import { imageDeleteCtrd } from './imageDeleteCtrd.ts';
import { imageDeleteRefs } from './imageDeleteRefs.ts';
import { findLocal, normalise } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `DELETE /images/{name}?force=&noprune=` — `docker rmi`, profile classic (moby 20.10
 * daemon/images/image_delete.go). A reference (`busybox`, `busybox:extra`) is untagged first;
 * the image itself goes when no reference is left and nothing stops it. An image id deletes
 * every reference at once. Conflicts come in two kinds: hard (a running container: never
 * forced) and soft (a stopped container, other references: `-f` overrides them). Answer: the
 * list of `{"Untagged": ref}` and `{"Deleted": id}` items the CLI prints line by line; events
 * `untag` and `delete` carry the image id as both Actor.ID and `name`.
 * https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Image/operation/ImageDelete
 */
export type DeleteItem = { Untagged: string } | { Deleted: string };
export type Gen<T> = Generator<ReturnType<Daemon['call']>, T, unknown>;

export class DeleteConflict {
  constructor(
    readonly message: string,
    readonly hard: boolean,
    readonly used: boolean,
  ) {}
}

export function* imageDelete(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const force = boolValue(query.force);
  if (d.profile === 'v29' && d.namesByConfig) return yield* imageDeleteRefs(d, req, target, force);
  if (d.profile === 'v29') return yield* imageDeleteCtrd(d, req, target, force);
  const img = findLocal(d, target, normalise(target));
  if (!img) return d.error(req, 404, `No such image: ${notFoundRef(target)}`);
  const result = yield* deleteClassic(d, target, img, force);
  if (result instanceof DeleteConflict) return d.error(req, 409, result.message);
  d.reply(req, 200, result, { params: { count: result.length } });
}

/** moby httputils.BoolValue: anything but empty, `0`, `no`, `false` or `none` is true. */
export function boolValue(value: string | undefined): boolean {
  return !['', '0', 'no', 'false', 'none'].includes((value ?? '').trim().toLowerCase());
}

/** How the daemon names what it could not find: ids as given, references with their tag. */
export function notFoundRef(target: string): string {
  if (/^sha256:/.test(target)) return target;
  try {
    return familiarName(normalise(target));
  } catch {
    return target;
  }
}

/** moby isImageIDPrefix: the argument is (a prefix of) the id, with or without `sha256:`. */
export function isIdPrefix(id: string, ref: string): boolean {
  return id.startsWith(ref) || id.slice(7).startsWith(ref);
}

/** The first container (oldest first, as the daemon's store was filled) matching `pick`. */
export function firstContainer(
  d: Daemon,
  pick: (c: ContainerRecord) => boolean,
): ContainerRecord | undefined {
  return [...d.containers.values()].sort((a, b) => a.createdMs - b.createdMs).find(pick);
}

const running = (c: ContainerRecord) => c.actor.getSnapshot().matches('running');

/** Every repository reference to an image id, sorted as the reference store lists them. */
function refsOf(d: Daemon, id: string): string[] {
  return [...d.images.values()]
    .filter((r) => r.id === id)
    .map((r) => r.name)
    .sort();
}

function* deleteClassic(
  d: Daemon,
  target: string,
  img: ImageRecord,
  force: boolean,
): Gen<DeleteItem[] | DeleteConflict> {
  const records: DeleteItem[] = [];
  let quiet = false;
  if (!isIdPrefix(img.id, target)) {
    // A reference: untag it. With one reference left and a container using the image, the
    // image would be left dangling, so that needs -f.
    const user = firstContainer(d, (c) => c.image.id === img.id);
    if (!force && refsOf(d, img.id).length === 1 && user) {
      return new DeleteConflict(
        `conflict: unable to remove repository reference "${target}" (must force) - container ${short(user.id)} is using its referenced image ${short(img.id.slice(7))}`,
        false,
        true,
      );
    }
    untag(d, img, normalise(target), records);
    if (refsOf(d, img.id).length > 0) return records;
    quiet = true;
  } else if (refsOf(d, img.id).length === 1) {
    // An id with a single reference: remove the reference too, unless a container stops it.
    const conflict = checkConflict(d, img.id, { running: true, stopped: !force, references: false });
    if (conflict) return conflict;
    for (const name of refsOf(d, img.id)) untag(d, img, name, records);
  }
  return yield* deleteImage(d, img, records, force, quiet);
}

function untag(d: Daemon, img: ImageRecord, name: string, records: DeleteItem[]): void {
  d.images.delete(name);
  d.self('dockerd.imageStore.untag', `reference store: delete ${familiarName(name)}`, {
    params: { ref: familiarName(name) },
  });
  d.emit('image', 'untag', img.id, { name: img.id });
  records.push({ Untagged: familiarName(name) });
}

interface ConflictMask {
  running: boolean;
  stopped: boolean;
  references: boolean;
}

/** moby checkImageDeleteConflict, in its order: running container, references, stopped container. */
export function checkConflict(d: Daemon, id: string, mask: ConflictMask): DeleteConflict | undefined {
  const shortId = short(id.slice(7));
  const user = mask.running ? firstContainer(d, (c) => c.image.id === id && running(c)) : undefined;
  if (user)
    return new DeleteConflict(
      `conflict: unable to delete ${shortId} (cannot be forced) - image is being used by running container ${short(user.id)}`,
      true,
      true,
    );
  if (mask.references && refsOf(d, id).length > 0)
    return new DeleteConflict(
      `conflict: unable to delete ${shortId} (must be forced) - image is referenced in multiple repositories`,
      false,
      false,
    );
  const stopped = mask.stopped ? firstContainer(d, (c) => c.image.id === id && !running(c)) : undefined;
  if (stopped)
    return new DeleteConflict(
      `conflict: unable to delete ${shortId} (must be forced) - image is being used by stopped container ${short(stopped.id)}`,
      false,
      true,
    );
  return undefined;
}

/**
 * moby imageDeleteHelper. `quiet` (after untagging the last reference) swallows a conflict for an
 * image still in use: it stays, dangling (`<none>`), until its last container is gone.
 */
function* deleteImage(
  d: Daemon,
  img: ImageRecord,
  records: DeleteItem[],
  force: boolean,
  quiet: boolean,
): Gen<DeleteItem[] | DeleteConflict> {
  const conflict = checkConflict(d, img.id, { running: true, stopped: !force, references: !force });
  if (conflict) {
    if (!quiet) return conflict;
    d.untagged.set(img.id, img);
    return records;
  }
  for (const name of refsOf(d, img.id)) untag(d, img, name, records);
  d.untagged.delete(img.id);
  d.self(
    'dockerd.imageStore.delete',
    `image store: delete imagedb/content/sha256/${short(img.id.slice(7))}…`,
    { params: { id: short(img.id.slice(7)) } },
  );
  d.emit('image', 'delete', img.id, { name: img.id });
  records.push({ Deleted: img.id });
  for (const chainId of yield* releaseLayers(d, img)) records.push({ Deleted: chainId });
  return records;
}

/**
 * The layer store releases the image's layers from the top down while nothing else holds them:
 * another image made of the same layer, or a container's read-write layer on top of it (the
 * driver keeps a layer that is still a parent). Each one released is a `Deleted: <chain id>`.
 */
export function* releaseLayers(d: Daemon, img: ImageRecord): Gen<string[]> {
  const released: string[] = [];
  // The legacy builder's images (intermediate ones included) hold their layers too.
  const all = [...d.images.values(), ...d.untagged.values(), ...d.built.values()];
  const others = all.filter((r) => r.id !== img.id);
  if (others.length < all.length) return released;
  for (const layer of [...img.layers].reverse()) {
    if (others.some((r) => r.layers.some((l) => l.chainId === layer.chainId))) break;
    const reply = asMessage(
      yield d.call('Storage', 'storage.remove', `overlay2 Remove(${layer.chainId.slice(7, 19)}…)`, {
        payload: { driver: 'overlay2', key: layer.chainId },
      }),
    );
    const removed = replyOf(reply, 'storage.remove');
    if (!removed.ok || !removed.payload.removed) break;
    released.push(layer.chainId);
  }
  return released;
}
