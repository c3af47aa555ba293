// `docker load`: both archive kinds a Docker writes or takes.
//   - manifest.json (docker-archive, Docker ≤24 and skopeo's docker-archive:, and Docker 25+,
//     whose save is also an OCI layout): [{Config, RepoTags, Layers}] with paths into the tar;
//     layers are tars, plain or gzipped.
//   - index.json alone (an OCI image layout): manifests named by the annotations
//     io.containerd.image.name (a full reference) or org.opencontainers.image.ref.name.
// When the archive holds the manifest whose config is this one (Docker 25+ and our own save),
// that manifest is kept, so the image keeps its digests; otherwise one is made (OCI, the
// layers as found). What is done with them is the dockerd machine's imageLoad operation
// (src/layers/dockerd/ops/imageLoad.ts); engine/real/archive.ts reads the archive for it.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashDigest, newHash, sha256 } from '../../image/digest.ts';
import { ImageError } from '../../image/errors.ts';
import {
  MediaType,
  isIndexType,
  parseJson,
  parseManifest,
  refuseDeepImage,
  type Descriptor,
} from '../../image/oci.ts';
import { choosePlatform, hostPlatform } from '../../image/platform.ts';

export interface Candidate {
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

/** The images an extracted archive holds, in order: docker-archive (manifest.json) or OCI layout (index.json). */
export async function readCandidates(dir: string): Promise<Candidate[]> {
  if (existsSync(join(dir, 'manifest.json'))) {
    const doc = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as unknown;
    if (!Array.isArray(doc)) throw new ImageError('invalid', 'manifest.json is not a list');
    const out: Candidate[] = [];
    for (const e of doc) out.push(await fromDockerManifest(dir, e as Record<string, unknown>));
    return out;
  }
  if (existsSync(join(dir, 'index.json'))) return fromLayout(dir);
  throw new ImageError('invalid', 'invalid archive: neither manifest.json nor index.json found');
}
