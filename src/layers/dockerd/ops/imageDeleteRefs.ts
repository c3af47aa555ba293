import { familiarName, tryParseReference } from '../../../model/image.ts';
import { payloadFor, replyOf } from '../../catalogue.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ImageRecord } from '../records.ts';
import { DeleteConflict, firstContainer, notFoundRef, type DeleteItem, type Gen } from './imageDelete.ts';
import { findRecords as find, listImages, type FoundRecords as Found } from './imageLookup.ts';
import { asMessage } from './request.ts';

/**
 * `docker rmi` answered as dockerd 20.10 answers it (moby v20.10 daemon/images/image_delete.go),
 * over containerd's image store: the dockstep engine's daemon (DaemonConfig.imageId `config`,
 * measured against a private dockerd 20.10 on the lab machine).
 *   - By name: untag that name (`Images.Delete`). When it was a tag and no other tag of the image
 *     is left in its repository, the repository's digest names go too, without an event. When no
 *     name is left, the image is deleted: `{"Deleted": image id}` then the layer chain ids the
 *     garbage collector removed, top first.
 *   - By id (or id prefix): when the names are one tag plus digest names of one repository, or
 *     with force, untag every name and delete; else 409 "…referenced in multiple repositories".
 * Each `Images.Delete` is synchronous (containerd runs its garbage collector before answering):
 * what it collected is what "Deleted" lists. Events `untag` and `delete` carry the image id.
 */
interface Ref {
  /** The normalised name: `docker.io/library/busybox:latest`, `…/busybox@sha256:…`. */
  name: string;
  repo: string;
  canonical: boolean;
  /** The containerd record of that name; a digest name a pull implies has none. */
  record?: ImageRecord;
}

function refOf(name: string, record?: ImageRecord): Ref {
  const parsed = tryParseReference(name);
  const ref: Ref = { name, repo: parsed?.name ?? name, canonical: parsed?.digest !== undefined };
  if (record !== undefined) ref.record = record;
  return ref;
}

/** The image's names as dockerd's reference store lists them (sorted): each record, and each pulled name's `repo@digest`. */
function refsOf(records: readonly ImageRecord[]): Ref[] {
  const refs = new Map<string, Ref>(records.map((r) => [r.name, refOf(r.name, r)]));
  for (const r of records) {
    if (r.repoDigest === '') continue;
    const ref = refOf(r.name);
    const name = `${ref.repo}@${r.repoDigest}`;
    if (!refs.has(name)) refs.set(name, refOf(name));
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

export class Removal {
  readonly out: DeleteItem[] = [];
  readonly collected: string[] = [];
  /** The records removed (their normalised names). */
  readonly removed: string[] = [];

  constructor(
    private readonly d: Daemon,
    readonly found: Found,
  ) {}

  /** Untag one name; a digest name without a record of its own goes with its tag's. */
  *untag(ref: Ref, logged = true): Gen<void> {
    if (ref.record !== undefined) {
      const reply = asMessage(
        yield this.d.call('containerd', 'ctrd.Images.Delete', `Images.Delete(${ref.name}, sync)`, {
          payload: payloadFor('ctrd.Images.Delete', { name: ref.name, sync: true }),
        }),
      );
      const answer = replyOf(reply, 'ctrd.Images.Delete');
      if (answer.ok) this.collected.push(...(answer.payload.snapshots ?? []));
      this.removed.push(ref.name);
    }
    this.out.push({ Untagged: familiarName(ref.name) });
    if (logged) this.d.emit('image', 'untag', this.found.id, { name: this.found.id });
  }

  /** The image is gone: its id, then the layers collected, top first. */
  deleted(): void {
    this.out.push({ Deleted: this.found.id });
    const order = new Map(this.found.records[0]?.layers.map((l, i) => [l.chainId, i]) ?? []);
    for (const s of [...new Set(this.collected)].sort((a, b) => (order.get(b) ?? 0) - (order.get(a) ?? 0)))
      this.out.push({ Deleted: s });
    this.d.emit('image', 'delete', this.found.id, { name: this.found.id });
  }
}

/** `rmi NAME`: that name; the repository's digest names with its last tag; the image with its last name. */
export function* removeByName(
  d: Daemon,
  rm: Removal,
  named: ImageRecord,
  force: boolean,
): Gen<DeleteConflict | undefined> {
  const before = refsOf(rm.found.records);
  const target = before.find((r) => r.name === named.name) ?? refOf(named.name, named);
  const others = rm.found.records.filter((r) => r.name !== named.name);
  const user = firstContainer(d, (c) => c.image.id === rm.found.id);
  if (!force && others.length === 0 && user) {
    return new DeleteConflict(
      `conflict: unable to remove repository reference "${familiarName(named.name)}" (must force) - container ${short(user.id)} is using its referenced image ${short(rm.found.id.slice(7))}`,
      false,
      true,
    );
  }
  yield* rm.untag(target);
  let left = others;
  const tagLeftInRepo = left.some((r) => !refOf(r.name).canonical && refOf(r.name).repo === target.repo);
  if (!target.canonical && !tagLeftInRepo) {
    for (const ref of before.filter((r) => r.canonical && r.repo === target.repo))
      yield* rm.untag(ref, false);
    left = left.filter((r) => refOf(r.name).repo !== target.repo);
  }
  if (left.length === 0 && !user) rm.deleted();
  return undefined;
}

/** `rmi ID`: every name and the image, unless names of several repositories (or a container) stop it. */
function* removeById(d: Daemon, rm: Removal, force: boolean): Gen<DeleteConflict | undefined> {
  const id = short(rm.found.id.slice(7));
  const running = firstContainer(
    d,
    (c) => c.image.id === rm.found.id && c.actor.getSnapshot().matches('running'),
  );
  if (running)
    return new DeleteConflict(
      `conflict: unable to delete ${id} (cannot be forced) - image is being used by running container ${short(running.id)}`,
      true,
      true,
    );
  const refs = refsOf(rm.found.records);
  if (!force && !isSingleReference(refs))
    return new DeleteConflict(
      `conflict: unable to delete ${id} (must be forced) - image is referenced in multiple repositories`,
      false,
      false,
    );
  const stopped = firstContainer(d, (c) => c.image.id === rm.found.id);
  if (!force && stopped)
    return new DeleteConflict(
      `conflict: unable to delete ${id} (must be forced) - image is being used by stopped container ${short(stopped.id)}`,
      false,
      true,
    );
  for (const ref of refs) yield* rm.untag(ref);
  rm.deleted();
  return undefined;
}

export function* imageDeleteRefs(d: Daemon, req: Message, target: string, force: boolean): OperationProgram {
  const found = find(yield* listImages(d), target);
  if (found === undefined) return d.error(req, 404, `No such image: ${notFoundRef(target)}`);
  const rm = new Removal(d, found);
  const conflict =
    found.named !== undefined
      ? yield* removeByName(d, rm, found.named, force)
      : yield* removeById(d, rm, force);
  if (conflict !== undefined) return d.error(req, 409, conflict.message);
  d.reply(req, 200, rm.out, { params: { count: rm.out.length } });
}
