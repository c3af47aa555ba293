// DELETE /images/{name}?force&noprune: `docker rmi`, as dockerd's classic image service does it
// (moby daemon/images/image_delete.go), measured on dockerd 20.10:
//   - by name: untag that name; when it was the image's last tag, also untag its digest names
//     and delete the image: [{"Untagged":…}…, {"Deleted": image id}, {"Deleted": layer chain id}…]
//   - by id (or id prefix) with names in more than one repository and no force: 409
//     "conflict: unable to delete <12 hex> (must be forced) - image is referenced in multiple repositories"
//   - by id otherwise (or forced): untag every name, delete.
// Layers go only when no other image uses them (the image store's refcount, root.release);
// "Deleted" lists the layer chain ids actually removed, top first. `noprune` has nothing to
// keep here: this store has no parent images.
import { shortId } from '../../image/digest.ts';
import { parseReference, repositoryOf } from '../../image/reference.ts';
import type { ImageRecord, Released } from '../../image/store/imageStore.ts';
import { boolParam, type Call, type Route } from '../context.ts';
import { conflict } from '../errors.ts';
import { sendJson } from '../http.ts';
import { familiar, findImage } from '../names.ts';

type Entry = { Untagged: string } | { Deleted: string };

function repositories(records: readonly ImageRecord[]): Set<string> {
  return new Set(records.map((r) => repositoryOf(parseReference(r.name))));
}

async function remove(call: Call): Promise<void> {
  const { root, events } = call.engine;
  const found = findImage(root, call.params['name'] ?? '');
  const force = boolParam(call.query, 'force');
  const out: Entry[] = [];
  let untag: ImageRecord[];
  if (found.named !== undefined) {
    const rest = found.records.filter((r) => r.name !== found.named?.name);
    const tagged = rest.filter((r) => parseReference(r.name).digest === undefined);
    // The last tag takes the image (and its digest names) with it.
    untag = tagged.length > 0 ? [found.named] : [found.named, ...rest];
  } else {
    if (!force && repositories(found.records).size > 1)
      throw conflict(
        `conflict: unable to delete ${shortId(found.id)} (must be forced) - image is referenced in multiple repositories`,
      );
    untag = found.records;
  }
  const released: Released = { blobs: [], snapshots: [] };
  for (const r of untag) {
    const { released: freed } = await root.images.remove(r.name);
    released.blobs.push(...freed.blobs);
    released.snapshots.push(...freed.snapshots);
    out.push({ Untagged: familiar(r.name) });
    events.image('untag', found.id, found.id);
  }
  if (untag.length === found.records.length) {
    const done = await root.release(released);
    out.push({ Deleted: found.id });
    const order = new Map(found.records[0]?.layers.map((l, i) => [l.chainId, i]) ?? []);
    done.snapshots
      .sort((a, b) => (order.get(b) ?? 0) - (order.get(a) ?? 0))
      .forEach((s) => out.push({ Deleted: s }));
    events.image('delete', found.id, found.id);
  }
  sendJson(call.res, 200, out);
}

export const routes: Route[] = [{ method: 'DELETE', path: '/images/{name*}', handler: remove }];
