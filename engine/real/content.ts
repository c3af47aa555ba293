// The containerd participant's real content and image effects (content.Store, images.Store:
// https://github.com/containerd/containerd/blob/main/docs/content-flow.md). A layer's bytes went
// into the content store while the registry answered (registry.ts), so `Content.Write` here
// checks they are there; a config written as text is stored; `Images.Create` writes the image
// record, after the index and manifest it names, and only then is done: before that there is
// no image.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fromPromise } from 'xstate';
import type {
  ContentEvidence,
  ContentInfo,
  ContentInfoInput,
  CtrdImage,
  ReadContentInput,
  ReadImagesInput,
  RemoveImageEvidence,
  RemoveImageInput,
  StoreImageInput,
  WriteContentInput,
} from '../../src/layers/containerd/imageService.ts';
import { layerSize } from '../daemon/imageInfo.ts';
import { localTarget, SOURCE } from '../daemon/names.ts';
import { MediaType, parseJson, parseManifest } from '../image/oci.ts';
import type { ImageRoot } from '../image/root.ts';
import type { ImageRecord } from '../image/store/imageStore.ts';
import { sessionEffect, type RealSession, type SessionFinder } from './session.ts';

/** The media type of a manifest written as text, or undefined for any other document (a config). */
function manifestTypeOf(text: string): string | undefined {
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc !== 'object' || doc === null || !('mediaType' in doc) || !('layers' in doc))
      return undefined;
    return doc.mediaType === MediaType.ociManifest || doc.mediaType === MediaType.dockerManifest
      ? doc.mediaType
      : undefined;
  } catch {
    return undefined;
  }
}

async function writeContent(session: RealSession, p: WriteContentInput): Promise<ContentEvidence> {
  const { digest } = p;
  const file = session.archiveFiles.get(digest);
  if (file !== undefined && !(await session.root.content.has(digest))) {
    // From a `docker load` archive: hashed on the way in, refused if it is not what it claims.
    await session.root.content.ingest(
      { mediaType: 'application/octet-stream', digest, size: p.size },
      async (w) => {
        for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>)
          if (!w.write(chunk)) await w.drained();
      },
    );
  } else if (p.text !== undefined) {
    const bytes = Buffer.from(p.text, 'utf8');
    // A manifest made here (`docker import`) is the image record's, as a fetched one is.
    const manifest = manifestTypeOf(p.text);
    await session.root.content.put(
      { mediaType: manifest ?? MediaType.ociConfig, digest, size: p.size },
      bytes,
    );
    if (manifest !== undefined) session.manifests.set(digest, { bytes, mediaType: manifest });
  } else if (!(await session.root.content.has(digest))) {
    throw new Error(`content ${digest} not found: the registry's answer was not stored`);
  }
  session.holdBlob(digest);
  const path = session.root.content.path(digest);
  return { digest, size: (await stat(path)).size, path };
}

/** The engine's image record for what the machines stored, from the manifest the registry gave. */
async function recordOf(session: RealSession, image: CtrdImage): Promise<ImageRecord> {
  const stored = session.manifests.get(image.manifestDigest);
  if (stored === undefined) return localRecordOf(session.root, image);
  const manifest = parseManifest(parseJson(stored.bytes, image.name), stored.mediaType, image.name);
  for (const [digest, doc] of session.manifests) {
    if (digest !== image.target.digest && digest !== image.manifestDigest) continue;
    await session.root.content.put({ mediaType: doc.mediaType, digest, size: doc.bytes.length }, doc.bytes);
    session.holdBlob(digest);
  }
  const target = { mediaType: image.target.mediaType, digest: image.target.digest, size: image.target.size };
  return {
    name: image.name,
    // A name from a `docker load` archive: no registry gave it, so it has no RepoDigest.
    target: image.local === true ? localTarget(target, 'load') : target,
    manifest: { mediaType: stored.mediaType, digest: image.manifestDigest, size: stored.bytes.length },
    config: manifest.config,
    layers: manifest.layers.map((l, i) => ({
      ...l,
      diffId: image.layers[i]?.diffId ?? '',
      chainId: image.layers[i]?.chainId ?? '',
    })),
    createdAt: new Date().toISOString(),
  };
}

/**
 * A new name for an image that is here (`docker tag`): the same records under the name, its
 * target marked as made here — no registry gave it, so it has no RepoDigest until pushed.
 */
function localRecordOf(root: ImageRoot, image: CtrdImage): ImageRecord {
  const source = root.images
    .list()
    .find((r) => r.target.digest === image.target.digest && r.manifest.digest === image.manifestDigest);
  if (source === undefined)
    throw new Error(`image ${image.target.digest} of ${image.name} is not here: nothing to name`);
  return {
    ...source,
    name: image.name,
    target: localTarget(source.target, 'tag'),
    createdAt: new Date().toISOString(),
  };
}

/**
 * Each record's config text, read once: a blob never changes under its digest, and a record the
 * store replaces is a new object. `docker ps` asks for the image of every container it lists.
 */
const configs = new WeakMap<ImageRecord, Promise<string>>();

function configOf(root: ImageRoot, r: ImageRecord): Promise<string> {
  let config = configs.get(r);
  if (config === undefined) {
    config = root.content.readBytes(r.config.digest).then((bytes) => bytes.toString('utf8'));
    configs.set(r, config);
    config.catch(() => configs.delete(r));
  }
  return config;
}

/** containerd's image record as the machines read it, from the engine's store. */
async function ctrdImageOf(root: ImageRoot, r: ImageRecord): Promise<CtrdImage> {
  const config = await configOf(root, r);
  const layers = [];
  for (const l of r.layers)
    layers.push({
      digest: l.digest,
      diffId: l.diffId,
      chainId: l.chainId,
      size: l.size,
      uncompressedSize: await layerSize(root, l.chainId),
    });
  const image: CtrdImage = {
    name: r.name,
    target: { mediaType: r.target.mediaType, digest: r.target.digest, size: r.target.size },
    manifestDigest: r.manifest.digest,
    configDigest: r.config.digest,
    config,
    layers,
    createdMs: Date.parse(r.createdAt),
  };
  if (r.target.annotations?.[SOURCE] !== undefined) image.local = true;
  return image;
}

async function storeImage(session: RealSession, p: StoreImageInput): Promise<Record<string, never>> {
  await session.root.images.put(await recordOf(session, p.image));
  return {};
}

/**
 * Content.Read, real: the blob goes into the operation's archive (`docker save`) as
 * `blobs/sha256/<hex>`, straight from the content store; held against the garbage collector while
 * it is read.
 */
async function readContent(session: RealSession, p: ReadContentInput): Promise<ContentEvidence> {
  session.holdBlob(p.digest);
  if (!(await session.root.content.has(p.digest))) throw new Error(`content digest ${p.digest}: not found`);
  const path = session.root.content.path(p.digest);
  const size =
    session.archive === undefined
      ? (await stat(path)).size
      : await session.archive.file(`blobs/sha256/${p.digest.slice(7)}`, path);
  return { digest: p.digest, size, path };
}

/**
 * Images.Delete, real: the name goes from the image store; with `sync` the garbage collector
 * runs before the answer (image/gc.ts) and the evidence is what it removed.
 */
async function removeImage(root: ImageRoot, p: RemoveImageInput): Promise<RemoveImageEvidence> {
  if (root.images.get(p.name) === undefined) return { existed: false };
  const { released } = await root.images.remove(p.name);
  if (!p.sync) return { existed: true };
  return { existed: true, collected: await root.release(released) };
}

/** Documents read whole (a manifest); a blob is only measured here, the upload streams it. */
const MAX_DOCUMENT = 4 << 20;

/**
 * `Content.Info` and `Content.ReaderAt` for a push, real: the blob's size from the content store,
 * and a document's bytes, re-verified against its digest. What a push reads is held until it ends.
 */
async function contentInfo(session: RealSession, p: ContentInfoInput): Promise<ContentInfo> {
  const info = await session.root.content.info(p.digest);
  if (info === undefined) throw new Error(`content digest ${p.digest}: not found`);
  session.holdBlob(p.digest);
  if (!p.document) return { digest: p.digest, size: info.size };
  const text = (await session.root.content.readBytes(p.digest, MAX_DOCUMENT)).toString('utf8');
  return { digest: p.digest, size: info.size, text };
}

/** containerd's image and content effects, real: its metadata store is the engine's image store. */
export function realContentEffects(sessionOf: SessionFinder, root: ImageRoot) {
  return {
    readImage: fromPromise<CtrdImage | null, ReadImagesInput>(async ({ input }) => {
      const record = root.images.get(input.name ?? '');
      return record === undefined ? null : ctrdImageOf(root, record);
    }),
    readImages: fromPromise<CtrdImage[], ReadImagesInput>(async () =>
      Promise.all(root.images.list().map((r) => ctrdImageOf(root, r))),
    ),
    writeContent: sessionEffect(sessionOf, writeContent),
    storeImage: sessionEffect(sessionOf, storeImage),
    readContent: sessionEffect(sessionOf, readContent),
    contentInfo: sessionEffect(sessionOf, contentInfo),
    removeImage: fromPromise<RemoveImageEvidence, RemoveImageInput>(async ({ input }) =>
      removeImage(root, input),
    ),
  };
}
