// DELETE /images/{name}?force&noprune: `docker rmi`, as dockerd's classic image service does it
// (moby daemon/images/image_delete.go ImageDelete), measured on dockerd 20.10:
//   - by name: untag that name. When it was a tag and no other tag of the image is left in its
//     repository, the repository's digest names go too ("Untagged: repo@sha256:…"). When no
//     name is left at all, the image is deleted: {"Deleted": image id}, {"Deleted": chain id}…
//   - by id (or id prefix): when the names are one tag (plus digest names) of one repository,
//     or with force, untag every name and delete; otherwise 409 "conflict: unable to delete
//     <12 hex> (must be forced) - image is referenced in multiple repositories" (dockerd's
//     words even for two tags of one repository).
// An image's names, as dockerd's reference store lists them (sorted): each stored name, and for
// a name a registry resolved, its `repo@digest` (what RepoDigests shows). Blobs and layers go when
// nothing refers to them any more (the root's garbage collector, image/gc.ts); "Deleted" lists the
// layer chain ids actually removed, top first. `noprune` has nothing to keep here: this store
// has no parent images.
import { shortId } from '../../image/digest.ts';
import { formatReference, parseReference, repositoryOf } from '../../image/reference.ts';
import type { ImageRecord, Released } from '../../image/store/imageStore.ts';
import { boolParam, type Call, type Route } from '../context.ts';
import { conflict } from '../errors.ts';
import { sendJson } from '../http.ts';
import { familiar, findImage, SOURCE, type Found } from '../names.ts';

type Entry = { Untagged: string } | { Deleted: string };

/** One name of an image: a stored record, or the digest name a record implies. */
interface Ref {
  name: string;
  repo: string;
  canonical: boolean;
  record?: ImageRecord;
}

/** The image's names, sorted as dockerd's reference store answers References(). */
function refsOf(records: readonly ImageRecord[]): Ref[] {
  const refs = new Map<string, Ref>();
  for (const r of records) {
    const ref = parseReference(r.name);
    refs.set(r.name, {
      name: r.name,
      repo: repositoryOf(ref),
      canonical: ref.digest !== undefined,
      record: r,
    });
  }
  for (const r of records) {
    if (r.target.annotations?.[SOURCE] !== undefined) continue;
    const ref = parseReference(r.name);
    const name = formatReference({ domain: ref.domain, path: ref.path, digest: r.target.digest });
    if (!refs.has(name)) refs.set(name, { name, repo: repositoryOf(ref), canonical: true });
  }
  return [...refs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** dockerd's isSingleReference: at most one tag, and every name in that one repository. */
function isSingleReference(refs: readonly Ref[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const tags = refs.filter((r) => !r.canonical);
  if (tags.length > 1) return false;
  const repos = new Set(refs.filter((r) => r.canonical).map((r) => r.repo));
  const single = tags[0] ?? refs[0];
  return repos.size === 1 && single !== undefined && repos.has(single.repo);
}

class Removal {
  readonly out: Entry[] = [];
  readonly released: Released = { blobs: [], snapshots: [] };
  private deleting = false;

  constructor(
    private readonly call: Call,
    private readonly found: Found,
  ) {}

  /**
   * Untags one name (a digest name with no record of its own goes with its tag's record). The
   * `untag` event is logged unless the name is a digest name removed along with its repository's
   * last tag, which dockerd removes without an event (moby daemon/images/image_delete.go).
   */
  async untag(ref: Ref, logged = true): Promise<void> {
    if (ref.record !== undefined && this.call.engine.root.images.get(ref.name) !== undefined) {
      const { released } = await this.call.engine.root.images.remove(ref.name);
      this.released.blobs.push(...released.blobs);
      this.released.snapshots.push(...released.snapshots);
    }
    this.out.push({ Untagged: familiar(ref.name) });
    if (logged) this.call.engine.events.image('untag', this.found.id, this.found.id);
  }

  /** The image goes once no name is left: its id, then the layer chain ids removed. */
  delete(): void {
    this.deleting = true;
  }

  /**
   * Collects what the removed names held — also when names are left, for a blob or layer
   * that only the removed name referred to (a pulled and a loaded name of one image) — and
   * answers the deletion.
   */
  async finish(): Promise<void> {
    const done = await this.call.engine.root.release(this.released);
    if (!this.deleting) return;
    this.out.push({ Deleted: this.found.id });
    const order = new Map(this.found.records[0]?.layers.map((l, i) => [l.chainId, i]) ?? []);
    done.snapshots
      .sort((a, b) => (order.get(b) ?? 0) - (order.get(a) ?? 0))
      .forEach((s) => this.out.push({ Deleted: s }));
    this.call.engine.events.image('delete', this.found.id, this.found.id);
  }
}

/** `rmi NAME`: that name; the repository's digest names with its last tag; the image with its last name. */
async function removeByName(rm: Removal, found: Found, named: ImageRecord): Promise<void> {
  const before = refsOf(found.records);
  const target = before.find((r) => r.name === named.name);
  if (target === undefined) return;
  await rm.untag(target);
  let left = found.records.filter((r) => r.name !== named.name);
  const tagLeftInRepo = left.some(
    (r) =>
      parseReference(r.name).digest === undefined && repositoryOf(parseReference(r.name)) === target.repo,
  );
  if (!target.canonical && !tagLeftInRepo) {
    for (const ref of before.filter((r) => r.canonical && r.repo === target.repo)) await rm.untag(ref, false);
    left = left.filter((r) => repositoryOf(parseReference(r.name)) !== target.repo);
  }
  if (left.length === 0) rm.delete();
}

async function remove(call: Call): Promise<void> {
  const found = findImage(call.engine.root, call.params['name'] ?? '');
  const rm = new Removal(call, found);
  if (found.named !== undefined) {
    await removeByName(rm, found, found.named);
  } else {
    const refs = refsOf(found.records);
    if (!boolParam(call.query, 'force') && !isSingleReference(refs))
      throw conflict(
        `conflict: unable to delete ${shortId(found.id)} (must be forced) - image is referenced in multiple repositories`,
      );
    for (const ref of refs) await rm.untag(ref);
    rm.delete();
  }
  await rm.finish();
  sendJson(call.res, 200, rm.out);
}

export const routes: Route[] = [{ method: 'DELETE', path: '/images/{name*}', handler: remove }];
