import type { ImageConfig, ImageManifest, ImageReference } from '../../../model/image.ts';
import { shortId } from '../../../model/digest.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Effect } from '../../operation.ts';
import { loopOpen } from '../../post.ts';
import { blobError, blobRequest, downloadsAtOnce, errorOf, extractKey, layersToFetch, type LayerJob, type PartialPull, type PullHost } from './imagePull.ts';
import { asMessage } from './request.ts';

/**
 * containerd's parallel unpack (core/unpack, with a snapshotter that can *rebase*: overlayfs
 * since containerd 2.2, https://github.com/containerd/containerd/pull/12332): each layer is
 * fetched, written to the content store and applied into a snapshot of its own with no parent,
 * side by side; then the snapshots are committed in order, each onto the one below it
 * (`Snapshots.Commit` with a parent rebases). The dockstep engine pulls this way; Docker 29's
 * default unpacks one layer after another (imagePull.ts), which the simulation shows.
 */
type Gen<T> = Generator<Effect, T, unknown>;

interface Job extends LayerJob {
  key: string;
  download?: number;
  apply?: number;
}

export function* parallelLayers(d: PullHost, ref: ImageReference, manifest: ImageManifest, config: ImageConfig, token: string | undefined, stream: JsonObject[]): Gen<ImageLayerRecord[] | string | PartialPull> {
  const { records, missing } = layersToFetch(d, manifest, config, stream);
  const jobs: Job[] = missing.map((job) => ({ ...job, key: extractKey(job.record) }));
  for (const job of jobs) stream.push({ status: 'Pulling fs layer', id: shortId(job.record.digest) });
  const block = loopOpen('block.eachLayer', { count: manifest.layers.length });
  let next = 0;
  const startDownloads = function* (): Gen<void> {
    while (next < jobs.length && jobs.filter((j) => j.download !== undefined && j.apply === undefined).length < downloadsAtOnce(d)) {
      const job = jobs[next++];
      if (job) job.download = (yield blobRequest(d, ref, job.record, token, next === 1 ? block : undefined)) as number;
    }
  };
  // While a layer applies, the one below it is committed: each commit waits for its own apply,
  // the commit below it and the next layer's download, so applies overlap one another.
  for (const [n, job] of jobs.entries()) {
    yield* startDownloads();
    const failed = yield* writeAndApply(d, job, stream);
    if (failed) return failed;
    const below = jobs[n - 1];
    const stuck = below === undefined ? undefined : yield* commitApplied(d, below, records, stream);
    if (stuck) return stuck;
  }
  const last = jobs.at(-1);
  return (last === undefined ? undefined : yield* commitApplied(d, last, records, stream)) ?? records;
}

/** A fetched layer into the content store and, with no wait for the one below, into its own snapshot. */
function* writeAndApply(d: PullHost, job: Job, stream: JsonObject[]): Gen<PartialPull | undefined> {
  const fetched = asMessage(yield { kind: 'collect', id: job.download ?? -1 });
  if (!fetched?.ok) return { error: blobError(fetched, job.record), stream };
  const { record, key } = job;
  const id = shortId(record.digest);
  stream.push({ status: 'Verifying Checksum', id }, { status: 'Download complete', id });
  yield d.call('containerd', 'ctrd.Content.Write', `Content.Write(${id}, ${record.size} bytes, verify sha256)`, { payload: { digest: record.digest, size: record.size, labels: { 'containerd.io/uncompressed': record.diffId } } });
  yield d.call('containerd', 'ctrd.Snapshots.Prepare', `Snapshots.Prepare(${key}, parent=-, to rebase)`, { payload: { key, labels: { 'containerd.io/snapshot/rebase': 'true' } } });
  const apply = d.call('containerd', 'ctrd.Diff.Apply', `Diff.Apply(${id} → ${key})`, { payload: { key, layer: { digest: record.digest, diffId: record.diffId, size: record.size } } });
  job.apply = (yield { kind: 'post', draft: apply.draft }) as number;
  return undefined;
}

/** An applied snapshot committed onto the layer below it (rebased): its chain id. */
function* commitApplied(d: PullHost, job: Job, records: ImageLayerRecord[], stream: JsonObject[]): Gen<PartialPull | undefined> {
  const applied = asMessage(yield { kind: 'collect', id: job.apply ?? -1 });
  const { record, key } = job;
  if (!applied?.ok) {
    yield d.call('containerd', 'ctrd.Snapshots.Remove', `Snapshots.Remove(${key})`, { payload: { key } });
    return { error: `failed to extract layer ${record.diffId}: ${errorOf(applied)}: unknown`, stream };
  }
  const parent = records[job.index - 1]?.chainId;
  const payload: JsonObject = parent === undefined ? { key, name: record.chainId } : { key, name: record.chainId, parent };
  yield d.call('containerd', 'ctrd.Snapshots.Commit', `Snapshots.Commit(${record.chainId.slice(7, 19)}…, ${key}, parent=${parent?.slice(7, 19) ?? '-'})`, { payload });
  stream.push({ status: 'Pull complete', id: shortId(record.digest) });
  return undefined;
}
