// A pull, composed the way containerd's client.Pull and Docker's puller do it:
//   resolve the name (GET manifest, an index → the host platform's manifest)
//   → config blob (small; its rootfs.diff_ids give the chain ids)
//   → every layer at once, at most `concurrency` downloading, each streamed through the
//     content store and the unpacker (layer.ts), committed in chain order
//   → the image store's name (the last step: before it nothing is an image).
// Two pulls of one name share one run; two images sharing layers share those layers' work. On
// failure the blobs and snapshots this pull made and no image refers to are swept, so nothing
// half-imported stays; a process killed mid-pull is swept on the next open (root.ts).
//
// Glossary: *target* — what the name points at (index or manifest); *diff id* — sha256 of an
// uncompressed layer; *chain id* — the snapshot key of a layer stack.
import { chainIds, shortId } from './digest.ts';
import { ImageError } from './errors.ts';
import { ensureLayer } from './layer.ts';
import { parseConfig, parseJson, parseManifest, refuseDeepImage, type Descriptor } from './oci.ts';
import { hostPlatform, formatPlatform, type Platform } from './platform.ts';
import type { ProgressSink } from './progress.ts';
import { formatReference, manifestReference, parseReference, registryHost } from './reference.ts';
import type { Credentials } from './registry/auth.ts';
import { RegistryClient, type Resolved } from './registry/client.ts';
import type { RecordSink } from './registry/trace.ts';
import type { ImageRoot } from './root.ts';
import { SingleFlight } from './singleflight.ts';
import type { ImageRecord, LayerRecord } from './store/imageStore.ts';
import type { UnpackLimits } from './unpack/unpack.ts';

export interface PullOptions {
  credentials?: Credentials;
  platform?: Platform;
  /** Layers downloading at once (Docker's max-concurrent-downloads is 3). */
  concurrency?: number;
  timeoutMs?: number;
  scheme?: 'http' | 'https';
  onRecord?: RecordSink;
  onProgress?: ProgressSink;
  limits?: Partial<UnpackLimits>;
}

export interface PullResult {
  record: ImageRecord;
  /** Layers this call downloaded or unpacked (0 when everything was there). */
  fetched: number;
}

function semaphore(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

async function storeSmall(
  root: ImageRoot,
  fetched: { desc: Descriptor; bytes: Buffer } | undefined,
): Promise<void> {
  if (fetched !== undefined) await root.content.put(fetched.desc, fetched.bytes);
}

async function readConfig(
  root: ImageRoot,
  client: RegistryClient,
  repository: string,
  desc: Descriptor,
): Promise<Buffer> {
  if (await root.content.has(desc.digest)) return root.content.readBytes(desc.digest);
  const bytes = await client.getBlob(repository, desc);
  await root.content.put(desc, bytes);
  return bytes;
}

async function layersOf(
  root: ImageRoot,
  client: RegistryClient,
  resolved: Resolved,
  repository: string,
  where: string,
  hold: (ids: string[]) => void,
): Promise<{ config: Descriptor; layers: LayerRecord[] }> {
  const manifest = parseManifest(
    parseJson(resolved.manifest.bytes, where),
    resolved.manifest.desc.mediaType,
    where,
  );
  refuseDeepImage(manifest.layers.length, 'pull');
  // Held before anything is written, as a containerd lease holds what is made under it.
  hold([manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);
  const configBytes = await readConfig(root, client, repository, manifest.config);
  const config = parseConfig(configBytes, `config ${manifest.config.digest}`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length)
    throw new ImageError(
      'invalid',
      `${where}: the manifest has ${manifest.layers.length} layers but the config has ${diffIds.length} diff ids`,
    );
  const chains = chainIds(diffIds);
  const layers = manifest.layers.map((l, i) => ({
    mediaType: l.mediaType,
    digest: l.digest,
    size: l.size,
    diffId: diffIds[i] ?? '',
    chainId: chains[i] ?? '',
  }));
  hold(layers.map((l) => l.chainId));
  return { config: manifest.config, layers };
}

/** Every layer ensured (layer.ts), chained in order; answers how many were not there. */
async function pullLayers(
  root: ImageRoot,
  client: RegistryClient,
  repository: string,
  layers: LayerRecord[],
  options: PullOptions,
): Promise<number> {
  const slot = semaphore(options.concurrency ?? 3);
  const jobs: Promise<void>[] = [];
  let fetched = 0;
  for (const [i, layer] of layers.entries()) {
    if (root.snapshots.stat(layer.chainId)?.kind !== 'committed') fetched++;
    options.onProgress?.({ kind: 'layer', id: shortId(layer.digest), status: 'Pulling fs layer' });
    const parentReady = jobs[i - 1] ?? Promise.resolve();
    jobs.push(
      ensureLayer({
        root,
        client,
        repository,
        layer,
        parent: layers[i - 1]?.chainId,
        parentReady,
        slot,
        onProgress: options.onProgress,
        limits: options.limits,
      }),
    );
  }
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return fetched;
}

async function pullOnce(root: ImageRoot, input: string, options: PullOptions): Promise<PullResult> {
  const ref = parseReference(input);
  const name = formatReference(ref);
  const client = new RegistryClient({
    host: registryHost(ref.domain),
    credentials: options.credentials,
    timeoutMs: options.timeoutMs,
    onRecord: options.onRecord,
    scheme: options.scheme,
  });
  const resolved = await client.resolve(ref.path, manifestReference(ref), options.platform ?? hostPlatform());
  options.onProgress?.({
    kind: 'resolved',
    name,
    digest: resolved.target.digest,
    mediaType: resolved.target.mediaType,
  });
  const blobs = [resolved.target.digest, resolved.manifest.desc.digest];
  const snapshots: string[] = [];
  const releases = [root.lease(blobs)];
  try {
    await storeSmall(root, resolved.index);
    await storeSmall(root, resolved.manifest);
    const { config, layers } = await layersOf(root, client, resolved, ref.path, name, (ids) =>
      releases.push(root.lease(ids)),
    );
    blobs.push(config.digest, ...layers.map((l) => l.digest));
    snapshots.push(...layers.map((l) => l.chainId));
    const fetched = await pullLayers(root, client, ref.path, layers, options);
    const platform = resolved.manifest.desc.platform;
    const record: ImageRecord = {
      name,
      target: resolved.target,
      manifest: resolved.manifest.desc,
      config,
      layers,
      ...(platform ? { platform } : {}),
      createdAt: new Date().toISOString(),
    };
    await root.images.put(record);
    const status = fetched > 0 ? `Downloaded newer image for ${name}` : `Image is up to date for ${name}`;
    options.onProgress?.({ kind: 'done', name, digest: resolved.target.digest, status });
    return { record, fetched };
  } catch (error) {
    releases.forEach((r) => r());
    // Nothing half-imported: what this pull made and no image needs goes now.
    await root.release({ blobs, snapshots });
    throw error;
  } finally {
    releases.forEach((r) => r());
  }
}

const flights = new WeakMap<ImageRoot, SingleFlight<PullResult>>();

/** Pulls `input` (a docker-style reference) into `root`; concurrent pulls of one name share a run. */
export function pull(root: ImageRoot, input: string, options: PullOptions = {}): Promise<PullResult> {
  let flight = flights.get(root);
  if (flight === undefined) flights.set(root, (flight = new SingleFlight()));
  const ref = parseReference(input);
  const key = `${formatReference(ref)} ${formatPlatform(options.platform ?? hostPlatform())}`;
  return flight.run(key, () => pullOnce(root, input, options));
}
