import { familiarName } from '../../../model/image.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord, ImageRecord } from '../records.ts';
import {
  DeleteConflict,
  firstContainer,
  isIdPrefix,
  notFoundRef,
  type DeleteItem,
  type Gen,
} from './imageDelete.ts';
import { listImages, normalise } from './imageLookup.ts';

/**
 * `docker rmi` with the containerd image store (profile v29; moby daemon/containerd/
 * image_delete.go). The image id is the digest of the image's target (index or manifest); each
 * reference is a containerd image record removed with `Images.Delete` (containerd publishes
 * /images/delete); `untag` events name the reference, `delete` the id. Content and snapshots go
 * later, in containerd's garbage collection, so only the image id is listed as deleted.
 * Not checked against a real Engine 29 (the recorded engine is 20.10, classic store).
 */
export function* imageDeleteCtrd(d: Daemon, req: Message, target: string, force: boolean): OperationProgram {
  const images = yield* listImages(d);
  // By id: the target digest (Engine 29's image id) or the config digest (what `docker images`
  // shows in this simulation's v29 profile).
  const byId = (r: ImageRecord) => isIdPrefix(r.target.digest, target) || isIdPrefix(r.id, target);
  const img = images.find((r) => r.name === normalise(target)) ?? images.find(byId);
  if (!img) return d.error(req, 404, `No such image: ${notFoundRef(target)}`);
  const all = images.filter((r) => r.target.digest === img.target.digest);
  const result = byId(img)
    ? yield* deleteAll(d, img.target.digest, all, { stopped: !force, references: !force })
    : yield* deleteReference(d, img, all, force);
  if (result instanceof DeleteConflict) return d.error(req, 409, result.message);
  d.reply(req, 200, result, { params: { count: result.length } });
}

const running = (c: ContainerRecord) => c.actor.getSnapshot().matches('running');
const usesImage = (img: ImageRecord) => (c: ContainerRecord) => c.image.target.digest === img.target.digest;

/** A reference given: untag only it when others remain; the last one needs -f if a container uses it. */
function* deleteReference(
  d: Daemon,
  img: ImageRecord,
  all: ImageRecord[],
  force: boolean,
): Gen<DeleteItem[] | DeleteConflict> {
  const ref = familiarName(img.name);
  if (all.length > 1) return [yield* untag(d, img)];
  const user = firstContainer(d, usesImage(img));
  if (user && !force) {
    return new DeleteConflict(
      `conflict: unable to delete ${ref} (must be forced) - container ${short(user.id)} is using its referenced image ${short(img.target.digest.slice(7))}`,
      false,
      true,
    );
  }
  // Forced with a container on it: moby keeps the image as a dangling record; only untag shows.
  if (user) return [yield* untag(d, img)];
  return yield* deleteAll(d, img.target.digest, all, { stopped: !force, references: false });
}

function* untag(d: Daemon, img: ImageRecord): Gen<DeleteItem> {
  yield d.call('containerd', 'ctrd.Images.Delete', `Images.Delete(${img.name}, sync)`, {
    payload: { name: img.name },
  });
  d.emit('image', 'untag', img.target.digest, { name: familiarName(img.name) });
  return { Untagged: familiarName(img.name) };
}

function* deleteAll(
  d: Daemon,
  id: string,
  all: ImageRecord[],
  mask: { stopped: boolean; references: boolean },
): Gen<DeleteItem[] | DeleteConflict> {
  const shortId = short(id.slice(7));
  const sample = all[0];
  const user = sample ? firstContainer(d, (c) => usesImage(sample)(c) && running(c)) : undefined;
  if (user)
    return new DeleteConflict(
      `conflict: unable to delete ${shortId} (cannot be forced) - image is being used by running container ${short(user.id)}`,
      true,
      true,
    );
  const stopped =
    mask.stopped && sample ? firstContainer(d, (c) => usesImage(sample)(c) && !running(c)) : undefined;
  if (stopped)
    return new DeleteConflict(
      `conflict: unable to delete ${shortId} (must be forced) - image is being used by stopped container ${short(stopped.id)}`,
      false,
      true,
    );
  if (mask.references && all.length > 1)
    return new DeleteConflict(
      `conflict: unable to delete ${shortId} (must be forced) - image is referenced in multiple repositories`,
      false,
      false,
    );
  const records: DeleteItem[] = [];
  for (const img of all) records.push(yield* untag(d, img));
  d.emit('image', 'delete', id, { name: id });
  records.push({ Deleted: id });
  return records;
}
