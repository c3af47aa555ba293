import { familiarName, parseReference } from '../../../model/image.ts';
import { payloadFor, replyOf } from '../../catalogue.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { configDigestOf, type ImageRecord } from '../records.ts';
import { notFoundRef } from './imageDelete.ts';
import { findLocal, fromCtrd, listImages, lookupImage } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';
import {
  matchesLabel,
  matchingNames,
  parseImageFilters,
  repoDigestsOf,
  repoTagsOf,
  type ImageFilters,
} from './imageFilters.ts';

/**
 * `GET /images/json`: v29 asks containerd's image service, classic reads dockerd's own store.
 * One entry per image id, with the names the filters keep (imageFilters.ts); classic `<none>`
 * images have none. The fields of API 1.44 as dockerd 20.10 sends them (measured): Labels null
 * when the config has none, SharedSize and Containers -1 unless asked for.
 */
export function* imageList(d: Daemon, req: Message): OperationProgram {
  const filters = parseImageFilters(apiRequest(req).query.filters);
  if ('error' in filters) return d.error(req, 400, filters.error);
  const images = yield* listImages(d);
  const byId = new Map<string, ImageRecord[]>();
  for (const r of images) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const list: JsonObject[] = [];
  for (const refs of byId.values()) {
    const entry = summaryOf(d, refs, filters);
    if (entry !== undefined) list.push(entry);
  }
  if (d.profile === 'classic' && filters.get('dangling')?.[0] !== 'false' && !filters.has('reference')) {
    for (const r of d.untagged.values())
      if (!byId.has(r.id)) list.push(summaryOf(d, [r], new Map(), false) ?? {});
  }
  // Newest first, as both image stores sort their answer (moby daemon/images/images.go byCreated).
  list.sort((a, b) => Number(b.Created) - Number(a.Created));
  d.reply(req, 200, list, { params: { count: list.length } });
}

function summaryOf(
  d: Daemon,
  refs: ImageRecord[],
  filters: ImageFilters,
  tagged = true,
): JsonObject | undefined {
  const r = refs[0] as ImageRecord;
  const tags = tagged ? repoTagsOf(refs) : [];
  if (filters.get('dangling')?.[0] === 'true' && tags.length > 0) return undefined;
  const patterns = filters.get('reference');
  const shown = patterns === undefined ? refs : matchingNames(refs, patterns);
  if (shown.length === 0) return undefined;
  const labels = (r.config.config?.Labels ?? null) as Record<string, string> | null;
  if (!(filters.get('label') ?? []).every((l) => matchesLabel(labels, l))) return undefined;
  const digests = tagged ? repoDigestsOf(shown) : [];
  return {
    Containers: -1,
    Created: unixSeconds(r.config.created, d.namesByConfig),
    Id: r.id,
    Labels: labels,
    ParentId: r.parent ?? '',
    RepoDigests: patterns !== undefined && digests.length === 0 ? null : digests,
    RepoTags: tagged ? repoTagsOf(shown) : [],
    SharedSize: -1,
    Size: r.layers.reduce((n, l) => n + l.uncompressedSize, 0),
  };
}

/**
 * `POST /images/{name}/tag?repo=&tag=` (`docker tag`): one more reference to the same image.
 * The `tag` event names the new reference; its Actor.ID is the image id.
 */
export function* imageTag(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const named = tagName(query.repo ?? '', query.tag ?? '');
  if ('error' in named) return d.error(req, 400, named.error);
  const { name } = named;
  const image = yield* lookupImage(d, target);
  if (!image) return d.error(req, 404, `No such image: ${notFoundRef(target)}`);
  const tagged: ImageRecord = { ...image, name };
  if (d.profile === 'classic') {
    d.images.set(name, tagged);
    d.untagged.delete(image.id);
    d.self(
      'dockerd.imageStore.tag',
      `reference store: add ${familiarName(name)} → ${image.id.slice(7, 19)}`,
      { params: { ref: familiarName(name) } },
    );
  } else {
    // dockerd ≤ 28's reference store gives a name made here no repository digest (`local`).
    const made = d.namesByConfig ? { local: true } : {};
    const payload = payloadFor('ctrd.Images.Create', {
      name,
      target: tagged.target,
      manifestDigest: tagged.manifestDigest,
      configDigest: configDigestOf(tagged),
      config: tagged.configText,
      layers: tagged.layers,
      createdMs: tagged.createdMs,
      ...(tagged.base === undefined ? {} : { base: tagged.base }),
      ...made,
    });
    yield d.call(
      'containerd',
      'ctrd.Images.Create',
      `Images.Create(${name} → ${tagged.target.digest.slice(0, 19)}…)`,
      { payload },
    );
  }
  d.emit('image', 'tag', d.imageIdOf(image), { name: familiarName(name) });
  d.reply(req, 201, undefined, { params: { ref: familiarName(name) } });
}

/**
 * The new name, checked as dockerd's postImagesTag does before it looks for the image (texts
 * measured on dockerd 20.10: a bad tag, a missing repository, a digest where a tag belongs).
 */
function tagName(repo: string, tag: string): { name: string } | { error: string } {
  if (repo === '') return { error: 'repository name is required' };
  if (tag !== '' && !/^[\w][\w.-]{0,127}$/.test(tag)) return { error: 'invalid tag format' };
  try {
    const ref = parseReference(tag === '' ? repo : `${repo.replace(/:[^:/]*$/, '')}:${tag}`);
    if (ref.digest !== undefined) return { error: 'refusing to create a tag with a digest reference' };
    return { name: ref.string };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `GET /images/{name}/history`: the config's history, newest first, layers matched to entries.
 * An entry shows an image id where that image is here: the image itself, and — for images the
 * legacy builder made on this host — every parent, found by walking `parent` (the recorded
 * engine shows the intermediate ids and the base image's own id, k-build.txt); the rest are
 * `<missing>`.
 */
export function* imageHistory(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const image = yield* lookupImage(d, target);
  if (!image) return d.error(req, 404, `No such image: ${notFoundRef(target)}`);
  // A config without history still has its layers: one row each (moby image_history.go).
  const history = image.config.history ?? image.layers.map(() => ({}) as HistoryEntry);
  const byDepth = ancestry(d, image);
  const names = d.profile === 'classic' ? undefined : yield* namesOfTarget(d, image);
  let layer = 0;
  const items: JsonObject[] = history.map((h, i) => {
    const size = h.empty_layer ? 0 : (image.layers[layer++]?.uncompressedSize ?? 0);
    const own = i === history.length - 1 ? image : byDepth.get(i + 1);
    const tags = own === image && names !== undefined ? names : own ? tagsOf(d, own) : [];
    return {
      Id: own ? (own === image ? d.imageIdOf(own) : own.id) : '<missing>',
      Created: unixSeconds(h.created, d.namesByConfig),
      CreatedBy: h.created_by ?? '',
      Tags: tags.length > 0 ? tags : null,
      Size: size,
      Comment: h.comment ?? '',
    };
  });
  d.reply(req, 200, items.reverse(), { params: { count: items.length } });
}

type HistoryEntry = NonNullable<ImageRecord['config']['history']>[number];

/**
 * Unix seconds of an RFC 3339 time. Absent: dockerd ≤ 28 shows Go's zero time (-62135596800),
 * Engine 29's containerd image service 0 (moby daemon/containerd/image_history.go).
 */
function unixSeconds(created: string | undefined, goZero: boolean): number {
  const ms = created === undefined ? Number.NaN : Date.parse(created);
  return Number.isNaN(ms) ? (goZero ? -62135596800 : 0) : Math.floor(ms / 1000);
}

/** Every name of the image's target: containerd's image store lists them (`target.digest==`). */
function* recordsOfTarget(
  d: Daemon,
  image: ImageRecord,
): Generator<ReturnType<Daemon['call']>, ImageRecord[], unknown> {
  const digest = image.target.digest;
  const listed = asMessage(
    yield d.call('containerd', 'ctrd.Images.List', `Images.List(target.digest==${digest.slice(0, 19)}…)`, {
      payload: { filters: [`target.digest==${digest}`] },
    }),
  );
  const answer = replyOf(listed, 'ctrd.Images.List');
  return (answer.ok ? answer.payload : [])
    .filter((i) => i.target.digest === digest)
    .map((i) => fromCtrd(i, d.namesByConfig));
}

/**
 * Every tag of the image, for its history's top row: containerd's image store lists the images
 * with the same target (moby daemon/containerd/image_history.go), familiar and sorted.
 */
function* namesOfTarget(
  d: Daemon,
  image: ImageRecord,
): Generator<ReturnType<Daemon['call']>, string[], unknown> {
  return repoTagsOf(yield* recordsOfTarget(d, image));
}

/** The image and its parents (classic), by the length of their history. */
function ancestry(d: Daemon, image: ImageRecord): Map<number, ImageRecord> {
  const out = new Map<number, ImageRecord>();
  for (
    let r: ImageRecord | undefined = image;
    r && out.size < 1000;
    r = r.parent === undefined ? undefined : (d.built.get(r.parent) ?? findLocal(d, r.parent, r.parent))
  ) {
    out.set(r.config.history?.length ?? 0, r);
  }
  return out;
}

function tagsOf(d: Daemon, image: ImageRecord): string[] {
  if (image.name !== '' && d.profile !== 'classic') return [familiarName(image.name)];
  const names = [...d.images.values()].filter((r) => r.id === image.id).map((r) => familiarName(r.name));
  return names.length > 0 ? names.sort() : image.name !== '' ? [familiarName(image.name)] : [];
}

/** An empty container config as dockerd 20.10 prints it for an image not built from a container (measured). */
const EMPTY_CONTAINER_CONFIG: JsonObject = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * `GET /images/{name}/json`: the fields of API 1.44 as dockerd 20.10 prints them (measured):
 * VirtualSize is gone since 1.44, Container and ContainerConfig stay (empty) until 1.45
 * (https://docs.docker.com/reference/api/engine/version-history/); every name of the image;
 * GraphDriver names the storage driver and the image's layer directories.
 */
export function* imageInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const image = yield* lookupImage(d, target);
  if (!image) return d.error(req, 404, `No such image: ${notFoundRef(target)}`);
  const names =
    d.profile === 'classic'
      ? [...d.images.values()].filter((r) => r.id === image.id)
      : yield* recordsOfTarget(d, image);
  const records = names.length > 0 ? names : [image];
  const raw = image.config as unknown as Record<string, unknown>;
  const text = (key: string): string => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
  const lastTag = Math.max(...records.map((r) => r.createdMs));
  d.reply(req, 200, {
    Id: image.id,
    RepoTags: repoTagsOf(records),
    RepoDigests: repoDigestsOf(records),
    Parent: image.parent ?? '',
    Comment: text('comment'),
    Created: image.config.created ?? ZERO_TIME,
    Container: '',
    ContainerConfig: EMPTY_CONTAINER_CONFIG,
    DockerVersion: text('docker_version'),
    Author: text('author'),
    Config: (image.config.config ?? null) as JsonObject | null,
    Architecture: image.config.architecture ?? '',
    ...(text('variant') === '' ? {} : { Variant: text('variant') }),
    Os: image.config.os ?? '',
    Size: image.layers.reduce((n, l) => n + l.uncompressedSize, 0),
    GraphDriver: graphDriverOf(d, image),
    RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
    Metadata: { LastTagTime: Number.isFinite(lastTag) ? new Date(lastTag).toISOString() : ZERO_TIME },
  });
}

/** The storage driver and the image's layer directories, top first (its snapshot's read-only mount). */
function graphDriverOf(d: Daemon, image: ImageRecord): JsonObject {
  const driver = d.profile === 'classic' ? d.ports.graphdriver : d.ports.snapshotter;
  const top = image.layers.at(-1)?.chainId;
  let data: JsonObject | null = null;
  try {
    const mount = top === undefined ? undefined : driver.mounts(top)[0];
    const lower =
      mount?.type === 'bind'
        ? mount.source
        : mount?.options.find((o) => o.startsWith('lowerdir='))?.slice('lowerdir='.length);
    if (lower !== undefined) data = { LowerDir: lower };
  } catch {
    // Not unpacked here (an image whose layers were never applied): no directories to name.
  }
  return { Name: driver.name, Data: data };
}
