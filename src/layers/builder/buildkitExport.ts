import { digestOf, shortId, utf8Encode } from '../../model/digest.ts';
import { familiarName, MEDIA_TYPES, type HistoryEntry } from '../../model/image.ts';
import type { JsonObject } from '../../model/json.ts';
import type { ImageLayerRecord } from '../containerd/imageService.ts';
import { goJsonText } from '../dockerd/ops/buildImage.ts';
import type { ImageRecord } from '../dockerd/records.ts';
import type { CachedResult } from './builder.ts';
import type { SolveJob } from './buildkit.ts';
import type { LlbPlan } from './llb.ts';

/**
 * BuildKit's image exporter with the containerd image store (the `moby` exporter of Engine 29):
 * each layer without a blob yet is diffed against its parent and written gzipped into
 * containerd's content store; then the config, the manifest, the provenance attestation
 * (buildx asks for `mode=min` by default) and the index that holds both; the image record
 * names the index; the snapshots are already there, so unpacking finds nothing to do. History
 * entries carry the `buildkit.dockerfile.v0` comment, metadata ones `empty_layer`, and there is
 * no parent image: `docker history` shows `<missing>` below the top (k-build.txt, IMAGE CONFIG of
 * appbk).
 */
type Gen<T> = Generator<ReturnType<SolveJob['b']['call']>, T, unknown>;

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function blob(text: string): { text: string; digest: string; size: number } {
  return { text, digest: digestOf(text), size: utf8Encode(text).length };
}

function* writeBlob(
  job: SolveJob,
  what: string,
  b: { text: string; digest: string; size: number },
  mediaType: string,
): Gen<void> {
  yield job.b.call(
    'containerd',
    'ctrd.Content.Write',
    `Content.Write(${what} ${shortId(b.digest)}, ${b.size} bytes)`,
    {
      payload: { digest: b.digest, size: b.size, text: b.text, labels: { mediaType } },
      narration: 'buildkit.Content.Write',
      params: { what },
    },
  );
}

/** Diff each new layer into a blob once; a later export of the same cached layer reuses it. */
function* exportLayers(job: SolveJob, results: CachedResult[]): Gen<ImageLayerRecord[]> {
  const out: ImageLayerRecord[] = [];
  for (const r of results) {
    if (!r.blob) {
      yield job.b.call(
        'containerd',
        'ctrd.Diff.Diff',
        `Diff.Diff(${r.layer.chainId.slice(7, 19)}… vs its parent) → tar+gzip into the content store`,
        { payload: { key: r.layer.chainId }, narration: 'buildkit.Diff.Diff' },
      );
      r.blob = {
        digest: digestOf(`dockstep built layer (tar+gzip): ${r.layer.diffId}`),
        size: r.layer.uncompressedSize + 32,
      };
    }
    out.push({ ...r.layer, digest: r.blob.digest, size: r.blob.size });
  }
  return out;
}

/**
 * Times come from the results, not the clock: a metadata entry takes the time of the next layer
 * made (or, at the end, of the last one), and the image was created when its last layer was —
 * so a rebuild that is all cache hits writes the very same config, hence the same image id (the
 * recorded engine wrote the same id twice, k-build.txt).
 */
function baseTime(base: ImageRecord): number {
  return Date.parse(base.config.created ?? '') || 0;
}

function historyTimes(plan: LlbPlan, results: CachedResult[], base: ImageRecord): number[] {
  const own = plan.history.map((h) => (h.vertex === undefined ? undefined : results[h.vertex]?.createdMs));
  const last = [...own].reverse().find((t) => t !== undefined) ?? baseTime(base);
  return own.map((t, i) => t ?? own.slice(i + 1).find((x) => x !== undefined) ?? last);
}

function configOf(
  base: ImageRecord,
  plan: LlbPlan,
  results: CachedResult[],
  layers: ImageLayerRecord[],
): string {
  const times = historyTimes(plan, results, base);
  const history: HistoryEntry[] = plan.history.map((h, i) => ({
    created: isoTime(times[i] ?? baseTime(base)),
    created_by: h.createdBy,
    comment: 'buildkit.dockerfile.v0',
    ...(h.emptyLayer ? { empty_layer: true } : {}),
  }));
  return goJsonText({
    architecture: base.config.architecture,
    config: plan.config,
    created: isoTime(Math.max(baseTime(base), ...times)),
    history: [...(base.config.history ?? []), ...history],
    os: base.config.os,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  });
}

export function* exportImage(
  job: SolveJob,
  base: ImageRecord,
  plan: LlbPlan,
  results: CachedResult[],
): Gen<{ digest: string }> {
  const v = job.progress.vertex('exporting to image');
  job.progress.flush();
  const own = yield* exportLayers(job, results);
  job.progress.status(v, 'exporting layers');
  const layers = [...base.layers, ...own];
  const config = blob(configOf(base, plan, results, layers));
  const manifest = blob(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: MEDIA_TYPES.ociConfig, digest: config.digest, size: config.size },
        layers: layers.map((l) => ({ mediaType: MEDIA_TYPES.ociLayer, digest: l.digest, size: l.size })),
      },
      null,
      2,
    ),
  );
  const provenance = blob(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: job.name ?? '', digest: { sha256: manifest.digest.slice(7) } }],
      predicate: { buildType: 'https://mobyproject.org/buildkit@v1' },
    }),
  );
  const attestation = blob(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: MEDIA_TYPES.ociConfig, digest: digestOf('{}'), size: 2 },
        layers: [
          {
            mediaType: MEDIA_TYPES.inToto,
            digest: provenance.digest,
            size: provenance.size,
            annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
          },
        ],
      },
      null,
      2,
    ),
  );
  const index = blob(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          {
            mediaType: MEDIA_TYPES.ociManifest,
            digest: manifest.digest,
            size: manifest.size,
            platform: { architecture: base.config.architecture, os: base.config.os },
          },
          {
            mediaType: MEDIA_TYPES.ociManifest,
            digest: attestation.digest,
            size: attestation.size,
            annotations: {
              'vnd.docker.reference.digest': manifest.digest,
              'vnd.docker.reference.type': 'attestation-manifest',
            },
            platform: { architecture: 'unknown', os: 'unknown' },
          },
        ],
      },
      null,
      2,
    ),
  );
  yield* writeBlob(job, 'config', config, MEDIA_TYPES.ociConfig);
  yield* writeBlob(job, 'manifest', manifest, MEDIA_TYPES.ociManifest);
  yield* writeBlob(job, 'provenance', provenance, MEDIA_TYPES.inToto);
  yield* writeBlob(job, 'attestation manifest', attestation, MEDIA_TYPES.ociManifest);
  yield* writeBlob(job, 'index', index, MEDIA_TYPES.ociIndex);
  for (const [what, b] of [
    ['manifest', manifest],
    ['config', config],
    ['attestation manifest', attestation],
    ['manifest list', index],
  ] as const)
    job.progress.status(v, `exporting ${what} ${b.digest}`);
  if (job.name !== undefined) {
    job.progress.flush();
    const record = {
      name: job.name,
      target: { mediaType: MEDIA_TYPES.ociIndex, digest: index.digest, size: index.size },
      manifestDigest: manifest.digest,
      configDigest: config.digest,
      config: config.text,
      layers: layers as unknown as JsonObject[],
      createdMs: job.b.now(),
      base: base.base ?? base.name,
    };
    yield job.b.call(
      'containerd',
      'ctrd.Images.Create',
      `Images.Create(${job.name} → ${index.digest.slice(0, 19)}…)`,
      { payload: record, narration: 'buildkit.Images.Create', params: { ref: familiarName(job.name) } },
    );
    yield job.b.call(
      'dockerd',
      'backend.ImageNamed',
      `exporter callback: image ${familiarName(job.name)} named`,
      { payload: { name: job.name, digest: index.digest } },
    );
    job.progress.status(v, `naming to ${job.name}`);
    job.progress.status(v, `unpacking to ${job.name}`);
  }
  job.progress.done(v);
  return { digest: index.digest };
}
