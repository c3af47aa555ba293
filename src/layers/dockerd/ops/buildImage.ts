import { digestOf } from '../../../model/digest.ts';
import {
  MEDIA_TYPES,
  type ContainerConfig,
  type HistoryEntry,
  type ImageConfig,
} from '../../../model/image.ts';
import type { ImageLayerRecord } from '../../containerd/imageService.ts';
import type { Daemon } from '../daemon.ts';
import type { ImageRecord } from '../records.ts';
import { engineVersion } from './system.ts';

/**
 * A child image, as the legacy builder has dockerd make one for each step (moby 20.10
 * image.NewChildImage via CommitBuildStep or CreateImage): the parent's history plus one entry
 * whose `created_by` is the step's run-config Cmd joined by spaces, the parent's diff ids plus
 * the step's layer unless it is empty (then `empty_layer: true`), `parent` and
 * `container_config` kept — the config recorded on the real engine (k-build.txt, IMAGE CONFIG).
 * The image id is the sha256 of the config's bytes.
 */
export interface ChildImageInput {
  parent: ImageRecord;
  config: ContainerConfig;
  /** The step's run config: its Cmd names the instruction; it is also the cache key. */
  runConfig: ContainerConfig;
  /** The step's layer; undefined for a step that changed no file. */
  layer: ImageLayerRecord | undefined;
  /** The container committed (RUN, ENV…), none for COPY. */
  container: string;
  /** `docker commit -m`: the history entry's comment. */
  comment?: string;
}

/** Go's encoding/json escapes <, > and & in strings; configs are compact. */
export function goJsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function childImage(d: Daemon, input: ChildImageInput): ImageRecord {
  const { parent, layer } = input;
  const created = isoTime(d.now());
  const entry: HistoryEntry = {
    created,
    created_by: (input.runConfig.Cmd ?? []).join(' '),
    ...(input.comment !== undefined ? { comment: input.comment } : {}),
    ...(layer ? {} : { empty_layer: true }),
  };
  const diffIds = [...parent.config.rootfs.diff_ids, ...(layer ? [layer.diffId] : [])];
  const config = {
    architecture: parent.config.architecture,
    config: { ...input.config, Image: parent.id },
    container: input.container,
    container_config: { ...input.runConfig, Image: parent.id },
    created,
    docker_version: engineVersion(d.profile),
    history: [...(parent.config.history ?? []), entry],
    os: parent.config.os,
    parent: parent.id,
    rootfs: { type: 'layers' as const, diff_ids: diffIds },
  };
  const configText = goJsonText(config);
  const id = digestOf(configText);
  return {
    name: '',
    id,
    repoDigest: '',
    target: { mediaType: MEDIA_TYPES.dockerConfig, digest: id, size: configText.length },
    manifestDigest: '',
    config: config as unknown as ImageConfig,
    configText,
    layers: [...parent.layers, ...(layer ? [layer] : [])],
    createdMs: d.now(),
    parent: parent.id,
    cacheKey: goJsonText(input.runConfig),
    base: parent.base ?? parent.name,
  };
}

/**
 * A layer built here: no blob was downloaded, so its digest is its diff id; the diff id is the
 * sha256 of a label naming what went in (the real one hashes the tar, mtimes included, so a RUN
 * rebuilt with --no-cache gives a new layer: `at` stands for that).
 */
export function builtLayer(
  parentChain: string | undefined,
  what: string,
  changes: { path: string; size: number }[],
  at: number,
): ImageLayerRecord {
  const diffId = digestOf(
    `dockstep built layer: ${what} ${changes.map((c) => `${c.path}:${c.size}`).join(',')} @${at}`,
  );
  const size = changes.reduce((n, c) => n + c.size, 0);
  const chainId = parentChain === undefined ? diffId : digestOf(`${parentChain} ${diffId}`);
  return { digest: diffId, diffId, chainId, size, uncompressedSize: size };
}
