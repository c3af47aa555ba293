// `docker save` as Docker 25+ writes it: one tar that is at the same time an OCI image layout
// (oci-layout, index.json, blobs/sha256/…) and a legacy docker-archive (manifest.json with
// Config/RepoTags/Layers paths into blobs/, and `repositories`) — moby image/tarexport/save.go.
// The blobs are the stored ones, byte for byte (the gzip layers as pulled), so digests survive
// a save → load round trip; Docker's loader decompresses layers by their magic either way.
// The tar is streamed: each blob file straight from the content store.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { tarEntry, tarEnd } from '../../image/archive/writer.ts';
import { hexOf } from '../../image/digest.ts';
import { MediaType } from '../../image/oci.ts';
import { parseReference } from '../../image/reference.ts';
import type { ImageRoot } from '../../image/root.ts';
import type { ImageRecord } from '../../image/store/imageStore.ts';
import { familiar, familiarRepo } from '../names.ts';

export interface SaveImage {
  id: string;
  records: ImageRecord[];
}

const MTIME = 0;

function write(out: Writable, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) if (!out.write(c)) return new Promise((resolve) => out.once('drain', resolve));
  return Promise.resolve();
}

async function fileEntry(out: Writable, path: string, bytes: Buffer): Promise<void> {
  await write(out, tarEntry({ path, mode: 0o644, mtime: MTIME }, bytes));
}

async function blobEntry(out: Writable, root: ImageRoot, digest: string): Promise<void> {
  const file = root.content.path(digest);
  const size = (await stat(file)).size;
  await write(out, tarEntry({ path: `blobs/sha256/${hexOf(digest)}`, mode: 0o644, mtime: MTIME, size }));
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) await write(out, [chunk]);
  const pad = (512 - (size % 512)) % 512;
  if (pad > 0) await write(out, [Buffer.alloc(pad)]);
}

function tagged(records: readonly ImageRecord[]): ImageRecord[] {
  return records.filter((r) => parseReference(r.name).digest === undefined);
}

/** The layout's index.json, manifest.json and repositories documents. */
export function documents(images: readonly SaveImage[]): Record<string, unknown> {
  const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] as unknown[] };
  const manifest: unknown[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const image of images) {
    const first = image.records[0] as ImageRecord;
    const names = tagged(image.records);
    for (const r of names.length > 0 ? names : [first]) {
      const ref = parseReference(r.name);
      index.manifests.push({
        mediaType: r.manifest.mediaType,
        digest: r.manifest.digest,
        size: r.manifest.size,
        annotations: {
          'io.containerd.image.name': r.name,
          ...(ref.tag === undefined ? {} : { 'org.opencontainers.image.ref.name': ref.tag }),
        },
      });
      if (ref.tag !== undefined && names.length > 0) {
        (repositories[familiarRepo(r.name)] ??= {})[ref.tag] = hexOf(first.layers.at(-1)?.digest ?? image.id);
      }
    }
    manifest.push({
      Config: `blobs/sha256/${hexOf(image.id)}`,
      RepoTags: names.length > 0 ? names.map((r) => familiar(r.name)) : null,
      Layers: first.layers.map((l) => `blobs/sha256/${hexOf(l.digest)}`),
    });
  }
  return { index, manifest, repositories };
}

export async function writeSave(out: Writable, root: ImageRoot, images: readonly SaveImage[]): Promise<void> {
  const blobs = new Set<string>();
  for (const image of images)
    for (const r of image.records) {
      blobs.add(r.manifest.digest);
      blobs.add(r.config.digest);
      r.layers.forEach((l) => blobs.add(l.digest));
    }
  await write(out, tarEntry({ path: 'blobs/', typeflag: '5', mode: 0o755, mtime: MTIME }));
  await write(out, tarEntry({ path: 'blobs/sha256/', typeflag: '5', mode: 0o755, mtime: MTIME }));
  for (const digest of [...blobs].sort()) await blobEntry(out, root, digest);
  const docs = documents(images);
  await fileEntry(out, 'index.json', Buffer.from(JSON.stringify(docs['index'])));
  await fileEntry(out, 'manifest.json', Buffer.from(JSON.stringify(docs['manifest'])));
  await fileEntry(out, 'oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  await fileEntry(out, 'repositories', Buffer.from(JSON.stringify(docs['repositories'])));
  await write(out, [tarEnd()]);
}
