import { chainIds, parseReference, type ImageConfig } from './image.ts';
import type { JsonObject, JsonValue } from './json.ts';

/**
 * The tar that `docker save` writes and `docker load` reads, as the simulation keeps it: its
 * entries in order, by path. A small document (manifest.json, repositories, index.json, an image
 * config) is kept as its text; a layer's bytes are not kept, only what names them (digest, size),
 * as the simulation keeps no file contents of layers. The host file holds this as JSON; anything
 * else is no tar.
 *
 * Two layouts (moby image/tarexport/save.go; Engine 25+ writes both at once):
 * - docker-archive (dockerd 20.10): `manifest.json` (`Config`, `RepoTags`, `Layers` per image),
 *   `repositories`, `<config hex>.json`, `<v1 id>/{VERSION,json,layer.tar}`, the layer uncompressed;
 * - OCI image layout (Engine 29): `oci-layout`, `index.json`, `blobs/sha256/<hex>` with the blobs as
 *   they are stored (layers compressed), and the docker-archive's `manifest.json` pointing into them.
 */
export interface BlobStandIn {
  /** `unpacked`: a layer's size once unpacked, which a real load measures from its bytes. */
  blob: { digest: string; size: number; unpacked?: number };
}

export type ArchiveEntry = string | BlobStandIn;
export type SimArchive = Record<string, ArchiveEntry>;

/** A marker that the JSON is a tar the simulation wrote (a text file is not one). */
const MAGIC = 'dockstep-tar';

export function archiveText(entries: SimArchive): string {
  return JSON.stringify({ [MAGIC]: entries });
}

/** One image of an archive, as a load reads it (the shape dockerd's readArchive work gives). */
export interface ArchiveImage {
  names: string[];
  manifest: { mediaType: string; digest: string; size: number };
  config: { digest: string; size: number; text: string };
  layers: { digest: string; size: number; uncompressedSize?: number; diffId: string; chainId: string }[];
}

/** How a load fails to read the tar: an empty stream, or bytes that are no tar. */
export type ArchiveFault = 'empty' | 'not-tar' | { invalid: string };

function entriesOf(text: string): SimArchive | ArchiveFault {
  if (text === '') return 'empty';
  try {
    const doc = JSON.parse(text) as JsonObject;
    const entries = doc[MAGIC];
    if (typeof entries === 'object' && entries !== null && !Array.isArray(entries))
      return entries as SimArchive;
  } catch {
    // Not JSON: not a tar the simulation wrote.
  }
  return 'not-tar';
}

type ManifestItem = {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
};

const strings = (v: JsonValue | undefined): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** manifest.json's entry for one image (moby image/tarexport manifestItem). */
function isItem(v: JsonValue): v is ManifestItem {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return typeof v.Config === 'string' && strings(v.Layers) && (v.RepoTags === null || strings(v.RepoTags));
}

/** The index.json descriptor of an image: the one named like it, else the next one unused. */
function manifestOf(index: JsonObject[], names: string[], used: Set<JsonObject>): ArchiveImage['manifest'] {
  const nameOf = (m: JsonObject): string =>
    String(((m.annotations ?? {}) as JsonObject)['io.containerd.image.name'] ?? '');
  const found =
    index.find((m) => !used.has(m) && names.includes(nameOf(m))) ?? index.find((m) => !used.has(m));
  if (found === undefined) return { mediaType: '', digest: '', size: 0 };
  used.add(found);
  return { mediaType: String(found.mediaType), digest: String(found.digest), size: Number(found.size) };
}

function imageOf(entries: SimArchive, item: ManifestItem, manifest: ArchiveImage['manifest']): ArchiveImage {
  const text = entries[item.Config];
  if (typeof text !== 'string') throw new Error(`open ${item.Config}: no such file or directory`);
  const config = JSON.parse(text) as ImageConfig;
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== item.Layers.length)
    throw new Error(
      `invalid manifest, layers length mismatch: expected ${item.Layers.length}, got ${diffIds.length}`,
    );
  const chains = chainIds(diffIds);
  const layers = item.Layers.map((path, i) => {
    const entry = entries[path];
    if (entry === undefined || typeof entry === 'string')
      throw new Error(`layer ${JSON.stringify(path)} not found`);
    const { digest, size, unpacked } = entry.blob;
    return {
      digest,
      size,
      uncompressedSize: unpacked ?? size,
      diffId: diffIds[i] ?? '',
      chainId: chains[i] ?? '',
    };
  });
  const names = (item.RepoTags ?? []).map((n) => parseReference(n).string);
  return { names, manifest, config: { digest: configDigest(item.Config), size: text.length, text }, layers };
}

/** `<hex>.json` (docker-archive) or `blobs/sha256/<hex>` (OCI layout): the config's digest. */
function configDigest(path: string): string {
  return `sha256:${path.replace(/^blobs\/sha256\//, '').replace(/\.json$/, '')}`;
}

/** The images of a tar, or why it cannot be read. */
export function readArchive(text: string): ArchiveImage[] | ArchiveFault {
  const entries = entriesOf(text);
  if (typeof entries === 'string' || !('manifest.json' in entries))
    return typeof entries === 'string' ? entries : 'empty';
  const manifestText = entries['manifest.json'];
  const items = (typeof manifestText === 'string' ? (JSON.parse(manifestText) as JsonValue[]) : []).filter(
    isItem,
  );
  const indexText = entries['index.json'];
  const index =
    typeof indexText === 'string'
      ? (((JSON.parse(indexText) as JsonObject).manifests ?? []) as JsonObject[])
      : [];
  const used = new Set<JsonObject>();
  try {
    return items.map((item) => {
      const names = (item.RepoTags ?? []).map((n) => parseReference(n).string);
      return imageOf(entries, item, manifestOf(index, names, used));
    });
  } catch (error) {
    return { invalid: error instanceof Error ? error.message : String(error) };
  }
}
