import type { ImageConfig, ImageManifest, ImageReference } from '../../../model/image.ts';
import { shortId } from '../../../model/digest.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Effect } from '../../operation.ts';
import { loopOpen } from '../../post.ts';
import {
  blobError,
  blobRequest,
  downloadDone,
  downloadsAtOnce,
  errorOf,
  extractKey,
  layersToFetch,
  type LayerJob,
  type PartialPull,
  type PullHost,
} from './imagePull.ts';
import { asMessage } from './request.ts';

/**
 * containerd's parallel unpack (core/unpack, with a snapshotter that can *rebase*: overlayfs
 * since containerd 2.2, https://github.com/containerd/containerd/pull/12332): each layer is
 * fetched, written to the content store and applied into a snapshot of its own with no parent
 * as soon as its own download is done, side by side with the others; the snapshots are committed
 * in order, each onto the one below it (`Snapshots.Commit` with a parent rebases), as soon as
 * it and every layer below it are applied. The dockstep engine pulls this way; Docker 29's
 * default unpacks one layer after another (imagePull.ts), which the simulation shows.
 *
 * As containerd's unpacker does, a layer's snapshot is prepared when its fetch starts, before the
 * bytes are in; the operation then waits on whichever answer comes first (a download or an
 * apply), as the unpacker's goroutines do, so no layer waits for another's unrelated work. When
 * the pull fails, the snapshots it prepared and did not commit are removed.
 */
type Gen<T> = Generator<Effect, T, unknown>;

/** A layer's way through the pull, in order: downloading, prepared, applying, applied, committed. */
interface Job extends LayerJob {
  key: string;
  /** The posted download's id, once it is asked for. */
  download?: number;
  prepared?: boolean;
  /** The posted apply's id, once the download is written. */
  apply?: number;
  /** The apply answered (`applied`: and it worked). */
  settled?: boolean;
  applied?: boolean;
  committed?: boolean;
}

/** What the operation waits on now: downloads not yet written, applies not yet answered. */
function awaited(jobs: readonly Job[]): number[] {
  return jobs.flatMap((j) =>
    j.apply !== undefined
      ? j.settled === true
        ? []
        : [j.apply]
      : j.download !== undefined
        ? [j.download]
        : [],
  );
}

function downloading(jobs: readonly Job[]): number {
  return jobs.filter((j) => j.download !== undefined && j.apply === undefined).length;
}

export function* parallelLayers(
  d: PullHost,
  ref: ImageReference,
  manifest: ImageManifest,
  config: ImageConfig,
  token: string | undefined,
  stream: JsonObject[],
): Gen<ImageLayerRecord[] | string | PartialPull> {
  const { records, missing } = layersToFetch(d, manifest, config, stream);
  const jobs: Job[] = missing.map((job) => ({ ...job, key: extractKey(job.record) }));
  for (const job of jobs) stream.push({ status: 'Pulling fs layer', id: shortId(job.record.digest) });
  const block = loopOpen('block.eachLayer', { count: manifest.layers.length });
  let next = 0;
  let committed = 0;
  while (committed < jobs.length) {
    const started: Job[] = [];
    while (next < jobs.length && downloading(jobs) < downloadsAtOnce(d)) {
      const job = jobs[next++];
      if (job === undefined) break;
      job.download = (yield blobRequest(d, ref, job.record, token, next === 1 ? block : undefined)) as number;
      started.push(job);
    }
    for (const job of started) yield* prepare(d, job);
    const reply = asMessage(yield { kind: 'collectAny', ids: awaited(jobs) });
    const fetched = jobs.find((j) => j.apply === undefined && j.download === reply?.inReplyTo);
    const job = fetched ?? jobs.find((j) => j.apply === reply?.inReplyTo);
    if (job === undefined) return { error: `unexpected answer ${reply?.call ?? 'none'}`, stream };
    const failed = fetched !== undefined ? yield* writeAndApply(d, job, reply, stream) : applied(job, reply);
    if (failed) return yield* removePrepared(d, jobs, failed, stream);
    for (let below = jobs[committed]; below?.applied === true; below = jobs[committed]) {
      yield* commitApplied(d, below, records, stream);
      committed++;
    }
  }
  return records;
}

/** The layer's own snapshot, with no parent, made while its bytes are still on the way. */
function* prepare(d: PullHost, job: Job): Gen<void> {
  yield d.call('containerd', 'ctrd.Snapshots.Prepare', `Snapshots.Prepare(${job.key}, parent=-, to rebase)`, {
    payload: { key: job.key, labels: { 'containerd.io/snapshot/rebase': 'true' } },
  });
  job.prepared = true;
}

/**
 * A failed pull waits for the applies still running (an errgroup's Wait) and removes the
 * snapshots it prepared and did not commit, as containerd's unpacker does.
 */
function* removePrepared(
  d: PullHost,
  jobs: readonly Job[],
  error: string,
  stream: JsonObject[],
): Gen<PartialPull> {
  for (const job of jobs) {
    if (job.apply !== undefined && job.settled !== true)
      applied(job, asMessage(yield { kind: 'collect', id: job.apply }));
  }
  for (const job of jobs) {
    if (job.prepared !== true || job.committed === true) continue;
    yield d.call('containerd', 'ctrd.Snapshots.Remove', `Snapshots.Remove(${job.key})`, {
      payload: { key: job.key },
    });
  }
  return { error, stream };
}

/** A fetched layer into the content store and applied, with no wait for the one below. */
function* writeAndApply(
  d: PullHost,
  job: Job,
  fetched: Message | undefined,
  stream: JsonObject[],
): Gen<string | undefined> {
  if (!fetched?.ok) return blobError(fetched, job.record);
  const { record, key } = job;
  const id = shortId(record.digest);
  stream.push(...downloadDone(d, id));
  yield d.call(
    'containerd',
    'ctrd.Content.Write',
    `Content.Write(${id}, ${record.size} bytes, verify sha256)`,
    {
      payload: {
        digest: record.digest,
        size: record.size,
        labels: { 'containerd.io/uncompressed': record.diffId },
      },
    },
  );
  const apply = d.call('containerd', 'ctrd.Diff.Apply', `Diff.Apply(${id} → ${key})`, {
    payload: { key, layer: { digest: record.digest, diffId: record.diffId, size: record.size } },
  });
  job.apply = (yield { kind: 'post', draft: apply.draft }) as number;
  return undefined;
}

/** An apply's answer: why it failed, if it did. */
function applied(job: Job, reply: Message | undefined): string | undefined {
  job.settled = true;
  if (!reply?.ok) return `failed to extract layer ${job.record.diffId}: ${errorOf(reply)}: unknown`;
  job.applied = true;
  return undefined;
}

/** An applied snapshot committed onto the layer below it (rebased). */
function* commitApplied(d: PullHost, job: Job, records: ImageLayerRecord[], stream: JsonObject[]): Gen<void> {
  const { record, key } = job;
  const parent = records[job.index - 1]?.chainId;
  const payload: JsonObject =
    parent === undefined ? { key, name: record.chainId } : { key, name: record.chainId, parent };
  yield d.call(
    'containerd',
    'ctrd.Snapshots.Commit',
    `Snapshots.Commit(${record.chainId.slice(7, 19)}…, ${key}, parent=${parent?.slice(7, 19) ?? '-'})`,
    { payload },
  );
  job.committed = true;
  stream.push({ status: 'Pull complete', id: shortId(record.digest) });
}
