// One layer of a pull: make sure its blob is in the content store and its chain id is a
// committed snapshot. Streaming, one pass: the registry's response is counted (size) by the
// registry client, written into a content ingest (which hashes it: the digest check) and fed
// to the unpacker (which gunzips, hashes the tar — the diff id check — and applies it) at the
// same time, into a parentless `extract-…` snapshot. Committing waits for the parent layer's
// commit and rebases onto it (snapshot/overlay.ts), so layers download and unpack in parallel
// but are chained in order. Any failure removes the extract snapshot and aborts the ingest.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobInfo } from './content/store.ts';
import type { Ingest } from './content/ingest.ts';
import { shortId } from './digest.ts';
import { ImageError, isImageError } from './errors.ts';
import type { ProgressSink } from './progress.ts';
import type { RegistryClient } from './registry/client.ts';
import { EXTRACT_PREFIX, type ImageRoot } from './root.ts';
import type { LayerRecord } from './store/imageStore.ts';
import { LayerUnpacker, type UnpackLimits, type UnpackResult } from './unpack/unpack.ts';
import { Whiteouts } from './unpack/marks.ts';
import type { Unpacking } from './unpack/pool.ts';

export interface LayerJob {
  root: ImageRoot;
  client: RegistryClient;
  repository: string;
  layer: LayerRecord;
  /** The chain id below this one, undefined for the base layer. */
  parent: string | undefined;
  /** Resolves when the parent is committed (the previous job's promise). */
  parentReady: Promise<unknown>;
  /** Bounds concurrent downloads; the commit runs outside it. */
  slot: <T>(work: () => Promise<T>) => Promise<T>;
  onProgress?: ProgressSink;
  limits?: Partial<UnpackLimits>;
}

interface Sink {
  write(chunk: Buffer): boolean;
  drained(): Promise<void>;
}

async function pump(
  source: Readable,
  sinks: readonly Sink[],
  progress: (bytes: number) => void,
): Promise<void> {
  let bytes = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let waits: Promise<void>[] | undefined;
    for (const sink of sinks) if (!sink.write(chunk)) (waits ??= []).push(sink.drained());
    if (waits !== undefined) await Promise.all(waits);
    bytes += chunk.length;
    progress(bytes);
  }
}

function throttle(job: LayerJob, id: string, total: number): (bytes: number) => void {
  let last = 0;
  return (bytes) => {
    if (bytes - last < 1 << 19 && bytes !== total) return;
    last = bytes;
    job.onProgress?.({ kind: 'layer', id, status: 'Downloading', current: bytes, total });
  };
}

/** What an unpack job checks and how it writes, for a worker or for this thread. */
function jobOptions(
  root: ImageRoot,
  layer: { digest: string; diffId: string },
  limits: Partial<UnpackLimits> | undefined,
) {
  const template = root.snapshots.whiteoutDevice;
  return {
    layer: layer.digest,
    expectedDiffId: layer.diffId,
    chown: process.getuid?.() === 0,
    limits,
    ...(template === undefined ? {} : { whiteoutTemplate: template }),
  };
}

/** The layer's unpacker: a job on the root's worker pool, or in this thread without one. */
function startUnpack(
  root: ImageRoot,
  layer: { digest: string; diffId: string },
  limits: Partial<UnpackLimits> | undefined,
  dir: string,
  onError: (error: Error) => void,
): Promise<Unpacking> {
  const options = jobOptions(root, layer, limits);
  if (root.unpackers === undefined)
    return Promise.resolve(
      new LayerUnpacker(dir, { ...options, whiteouts: new Whiteouts(options.whiteoutTemplate), onError }),
    );
  return root.unpackers.start(dir, options, onError);
}

/**
 * Unpack a blob the content store already holds into `dir` (an active snapshot's upper dir):
 * what containerd's diff service does for `Diff.Apply`. Its diff id is checked as it goes.
 */
export async function applyStoredBlob(
  root: ImageRoot,
  layer: { digest: string; diffId: string },
  dir: string,
  limits?: Partial<UnpackLimits>,
): Promise<UnpackResult> {
  // A worker reads the blob file itself: the bytes never pass through this thread.
  if (root.unpackers !== undefined) {
    const job = await root.unpackers.start(dir, jobOptions(root, layer, limits));
    try {
      return await job.fromFile(root.content.path(layer.digest));
    } catch (error) {
      job.abort(error as Error);
      throw error;
    }
  }
  let source: Readable | undefined;
  const unpacker = await startUnpack(root, layer, limits, dir, (error) => source?.destroy(error));
  try {
    source = root.content.readStream(layer.digest);
    await pump(source, [unpacker], () => undefined);
    return await unpacker.end();
  } catch (error) {
    unpacker.abort(error as Error);
    source?.destroy();
    throw error;
  }
}

/** Download (or read locally) and unpack into a new extract snapshot; returns its key. */
async function unpackLayer(job: LayerJob, haveBlob: boolean): Promise<string> {
  const { root, layer } = job;
  const id = shortId(layer.digest);
  const key = `${EXTRACT_PREFIX}${randomBytes(6).toString('hex')} ${layer.chainId}`;
  await root.snapshots.prepare(key, undefined, { 'containerd.io/snapshot.ref': layer.chainId });
  let ingest: Ingest | undefined;
  let source: Readable | undefined;
  let unpacker: Unpacking | undefined;
  try {
    unpacker = await startUnpack(root, layer, job.limits, root.snapshots.fsPath(key), (error) =>
      source?.destroy(error),
    );
    source = haveBlob
      ? root.content.readStream(layer.digest)
      : await job.client.openBlob(job.repository, layer, 'size');
    // The ingest hashes what it stores: that is the blob's digest check.
    if (!haveBlob) ingest = await root.content.writer(layer);
    await pump(source, ingest === undefined ? [unpacker] : [ingest, unpacker], throttle(job, id, layer.size));
    job.onProgress?.({ kind: 'layer', id, status: 'Verifying Checksum' });
    const [stored, unpacked] = await Promise.allSettled([
      ingest?.commit() ?? Promise.resolve<BlobInfo | undefined>(undefined),
      unpacker.end(),
    ]);
    if (stored.status === 'rejected') {
      const reason = stored.reason as Error;
      if (isImageError(reason, 'digest-mismatch'))
        throw new ImageError(
          'digest-mismatch',
          `blob from ${job.client.host}/${job.repository} refused: ${reason.message}`,
        );
      throw reason;
    }
    if (unpacked.status === 'rejected') throw unpacked.reason;
    job.onProgress?.({ kind: 'layer', id, status: 'Download complete' });
    return key;
  } catch (error) {
    unpacker?.abort(error as Error);
    source?.destroy();
    await ingest?.abort();
    await root.snapshots.remove(key).catch(() => undefined);
    throw error;
  }
}

/** Blob present and chain id committed, once, however many pulls ask at the same time. */
export function ensureLayer(job: LayerJob): Promise<void> {
  const { root, layer } = job;
  return root.layerFlights.run(layer.chainId, async () => {
    const id = shortId(layer.digest);
    const haveBlob = await root.content.has(layer.digest);
    if (root.snapshots.stat(layer.chainId)?.kind === 'committed') {
      if (!haveBlob)
        await job.slot(() =>
          root.content.ingest(layer, async (w) =>
            pump(
              await job.client.openBlob(job.repository, layer, 'size'),
              [w],
              throttle(job, id, layer.size),
            ),
          ),
        );
      job.onProgress?.({ kind: 'layer', id, status: 'Already exists' });
      return;
    }
    job.onProgress?.({ kind: 'layer', id, status: 'Waiting' });
    const key = await job.slot(() => unpackLayer(job, haveBlob));
    try {
      await job.parentReady;
      job.onProgress?.({ kind: 'layer', id, status: 'Extracting', current: layer.size, total: layer.size });
      await root.snapshots.commit(layer.chainId, key, { parent: job.parent });
    } catch (error) {
      await root.snapshots.remove(key).catch(() => undefined);
      // Another pull committed the same chain id first: theirs is as good as ours.
      if (!(isImageError(error, 'conflict') && root.snapshots.stat(layer.chainId)?.kind === 'committed'))
        throw error;
    }
    job.onProgress?.({ kind: 'layer', id, status: 'Pull complete' });
  });
}
