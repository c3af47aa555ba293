// `docker load`: both archive kinds a Docker writes or takes.
//   - manifest.json (docker-archive, Docker ≤24 and skopeo's docker-archive:, and Docker 25+,
//     whose save is also an OCI layout): [{Config, RepoTags, Layers}] with paths into the tar;
//     layers are tars, plain or gzipped.
//   - index.json alone (an OCI image layout): manifests named by the annotations
//     io.containerd.image.name (a full reference) or org.opencontainers.image.ref.name.
// When the archive holds the manifest whose config is this one (Docker 25+ and our own save),
// that manifest is kept, so the image keeps its digests; otherwise one is made (OCI, the
// layers as found). Blobs go into the content store (hashed on the way), layers are unpacked
// through the same path a pull takes (layer.ts, blob already local), then the names are set.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashDigest, newHash, sha256 } from '../../image/digest.ts';
import { ImageError } from '../../image/errors.ts';
import { chainIds } from '../../image/digest.ts';
import { ensureLayer } from '../../image/layer.ts';
import {
  MediaType,
  isIndexType,
  parseConfig,
  parseJson,
  parseManifest,
  refuseDeepImage,
  type Descriptor,
} from '../../image/oci.ts';
import { choosePlatform, hostPlatform } from '../../image/platform.ts';
import { formatReference, parseReference } from '../../image/reference.ts';
import { RegistryClient } from '../../image/registry/client.ts';
import type { ImageRoot } from '../../image/root.ts';
import { localTarget } from '../names.ts';
import { referencesOf, type ImageRecord, type LayerRecord } from '../../image/store/imageStore.ts';

export interface Loaded {
  id: string;
  names: string[];
}

interface Candidate {
  manifestBytes: Buffer;
  manifest: Descriptor;
  /** Where each blob's file is in the extracted archive. */
  files: Map<string, string>;
  names: string[];
}

async function fileDigest(path: string): Promise<{ digest: string; size: number; gzip: boolean }> {
  const hash = newHash();
  let size = 0;
  let head: Buffer | undefined;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    head ??= chunk.subarray(0, 2);
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: hashDigest(hash), size, gzip: head?.[0] === 0x1f && head[1] === 0x8b };
}

function inside(dir: string, rel: string): string {
  if (rel.startsWith('/') || rel.split('/').includes('..'))
    throw new ImageError('invalid', `archive path ${JSON.stringify(rel)} leaves the archive`);
  const path = join(dir, rel);
  if (!existsSync(path)) throw new ImageError('invalid', `archive has no file ${rel}`);
  return path;
}

const blobPath = (dir: string, digest: string): string => join(dir, 'blobs', 'sha256', digest.slice(7));

/** The stored manifest for this config, if the archive is also an OCI layout that has it. */
function layoutManifest(dir: string, configDigest: string): { bytes: Buffer; desc: Descriptor } | undefined {
  if (!existsSync(join(dir, 'index.json'))) return undefined;
  const index = parseJson(readFileSync(join(dir, 'index.json')), 'index.json');
  const list = Array.isArray(index['manifests']) ? (index['manifests'] as Descriptor[]) : [];
  for (const d of list) {
    const path = blobPath(dir, String(d.digest));
    if (!existsSync(path) || isIndexType(String(d.mediaType))) continue;
    const bytes = readFileSync(path);
    const doc = parseJson(bytes, `manifest ${d.digest}`);
    const m = parseManifest(doc, String(d.mediaType), `manifest ${d.digest}`);
    if (m.config.digest === configDigest)
      return { bytes, desc: { mediaType: d.mediaType, digest: sha256(bytes), size: bytes.length } };
  }
  return undefined;
}

async function fromDockerManifest(dir: string, entry: Record<string, unknown>): Promise<Candidate> {
  const configPath = inside(dir, String(entry['Config']));
  const configBytes = readFileSync(configPath);
  const configDigest = sha256(configBytes);
  const names = Array.isArray(entry['RepoTags']) ? entry['RepoTags'].map(String) : [];
  const listed: unknown[] = Array.isArray(entry['Layers']) ? entry['Layers'] : [];
  // Refused before any layer is read, as dockerd's layer store would refuse the 126th.
  refuseDeepImage(listed.length, 'load');
  const layerPaths = listed.map((l) => inside(dir, String(l)));
  const files = new Map<string, string>([[configDigest, configPath]]);
  const stored = layoutManifest(dir, configDigest);
  if (stored !== undefined) {
    const m = parseManifest(parseJson(stored.bytes, 'manifest'), stored.desc.mediaType, 'manifest');
    m.layers.forEach((l, i) => files.set(l.digest, layerPaths[i] ?? blobPath(dir, l.digest)));
    return { manifestBytes: stored.bytes, manifest: stored.desc, files, names };
  }
  const layers: Descriptor[] = [];
  for (const path of layerPaths) {
    const { digest, size, gzip } = await fileDigest(path);
    files.set(digest, path);
    layers.push({ mediaType: gzip ? MediaType.ociLayerGzip : MediaType.ociLayer, digest, size });
  }
  const doc = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configDigest, size: configBytes.length },
    layers,
  };
  const manifestBytes = Buffer.from(JSON.stringify(doc));
  return {
    manifestBytes,
    manifest: { mediaType: MediaType.ociManifest, digest: sha256(manifestBytes), size: manifestBytes.length },
    files,
    names,
  };
}

function fromLayout(dir: string): Candidate[] {
  const index = parseJson(readFileSync(join(dir, 'index.json')), 'index.json');
  const out: Candidate[] = [];
  for (const raw of Array.isArray(index['manifests']) ? (index['manifests'] as Descriptor[]) : []) {
    let desc = raw;
    let bytes = readFileSync(inside(dir, `blobs/sha256/${String(desc.digest).slice(7)}`));
    if (isIndexType(desc.mediaType)) {
      const nested = parseJson(bytes, `index ${desc.digest}`);
      const list = (Array.isArray(nested['manifests']) ? nested['manifests'] : []) as Descriptor[];
      desc = choosePlatform(list, hostPlatform(), `index ${raw.digest}`);
      bytes = readFileSync(inside(dir, `blobs/sha256/${desc.digest.slice(7)}`));
    }
    const m = parseManifest(
      parseJson(bytes, `manifest ${desc.digest}`),
      desc.mediaType,
      `manifest ${desc.digest}`,
    );
    const files = new Map<string, string>();
    for (const d of [m.config, ...m.layers]) files.set(d.digest, blobPath(dir, d.digest));
    const a = raw.annotations ?? {};
    const full = a['io.containerd.image.name'];
    const ref = a['org.opencontainers.image.ref.name'];
    const names = full !== undefined ? [full] : ref !== undefined && /[/:]/.test(ref) ? [ref] : [];
    out.push({
      manifestBytes: bytes,
      manifest: { mediaType: desc.mediaType, digest: desc.digest, size: desc.size },
      files,
      names,
    });
  }
  return out;
}

async function putFile(root: ImageRoot, desc: Descriptor, path: string): Promise<void> {
  await root.content.ingest(desc, async (w) => {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>)
      if (!w.write(chunk)) await w.drained();
  });
}

/** Every layer unpacked from its local blob and chained, as a pull does it (layer.ts). */
async function unpackLayers(root: ImageRoot, layers: readonly LayerRecord[]): Promise<void> {
  // The blobs are local: the client is never asked for one.
  const client = new RegistryClient({ host: 'localhost' });
  const jobs: Promise<void>[] = [];
  for (const [i, layer] of layers.entries())
    jobs.push(
      ensureLayer({
        root,
        client,
        repository: 'load',
        layer,
        parent: layers[i - 1]?.chainId,
        parentReady: jobs[i - 1] ?? Promise.resolve(),
        slot: (work) => work(),
      }),
    );
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Sets a name; the image it named before goes when nothing else names it (no <none> images here). */
async function setName(root: ImageRoot, record: ImageRecord): Promise<void> {
  const replaced = root.images.get(record.name);
  await root.images.put(record);
  if (replaced !== undefined && replaced.config.digest !== record.config.digest)
    await root.release(referencesOf(replaced));
}

async function importOne(root: ImageRoot, c: Candidate): Promise<Loaded> {
  const m = parseManifest(parseJson(c.manifestBytes, 'manifest'), c.manifest.mediaType, 'manifest');
  refuseDeepImage(m.layers.length, 'load');
  const configPath = c.files.get(m.config.digest) ?? '';
  const config = parseConfig(readFileSync(configPath), `config ${m.config.digest}`);
  if (config.rootfs.diff_ids.length !== m.layers.length)
    throw new ImageError(
      'invalid',
      `image ${m.config.digest}: ${m.layers.length} layers but ${config.rootfs.diff_ids.length} diff ids`,
    );
  const chains = chainIds(config.rootfs.diff_ids);
  const layers: LayerRecord[] = m.layers.map((l, i) => ({
    ...l,
    diffId: config.rootfs.diff_ids[i] ?? '',
    chainId: chains[i] ?? '',
  }));
  const release = root.lease([
    c.manifest.digest,
    m.config.digest,
    ...layers.flatMap((l) => [l.digest, l.chainId]),
  ]);
  try {
    await root.content.put(c.manifest, c.manifestBytes);
    await putFile(root, m.config, configPath);
    for (const l of layers) await putFile(root, l, c.files.get(l.digest) ?? '');
    await unpackLayers(root, layers);
    const names = c.names.map((n) => formatReference(parseReference(n)));
    // Marked as loaded: no registry ever named this digest, so it is no RepoDigest.
    const target = localTarget(c.manifest, 'load');
    for (const name of names)
      await setName(root, {
        name,
        target,
        manifest: c.manifest,
        config: m.config,
        layers,
        createdAt: new Date().toISOString(),
      });
    return { id: m.config.digest, names };
  } catch (error) {
    release();
    // Nothing half-imported: what this load made and no image needs goes now.
    await root.release({
      blobs: [c.manifest.digest, m.config.digest, ...layers.map((l) => l.digest)],
      snapshots: layers.map((l) => l.chainId),
    });
    throw error;
  } finally {
    release();
  }
}

/** Imports every image of an extracted archive; answers what was loaded, in order. */
export async function loadArchive(root: ImageRoot, dir: string): Promise<Loaded[]> {
  let candidates: Candidate[];
  if (existsSync(join(dir, 'manifest.json'))) {
    const doc = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as unknown;
    if (!Array.isArray(doc)) throw new ImageError('invalid', 'manifest.json is not a list');
    candidates = [];
    for (const e of doc) candidates.push(await fromDockerManifest(dir, e as Record<string, unknown>));
  } else if (existsSync(join(dir, 'index.json'))) candidates = fromLayout(dir);
  else throw new ImageError('invalid', 'invalid archive: neither manifest.json nor index.json found');
  const out: Loaded[] = [];
  for (const c of candidates) out.push(await importOne(root, c));
  return out;
}
