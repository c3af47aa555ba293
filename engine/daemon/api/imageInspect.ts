// GET /images/{name}/json: `docker image inspect`, the fields of API 1.44: VirtualSize is
// omitted since 1.44, Container and ContainerConfig are still there until 1.45 (empty, as
// dockerd shows them for an image not built from a container) —
// https://docs.docker.com/reference/api/engine/version-history/. GraphDriver names the
// snapshotter and the layer directories, as dockerd's containerd image store does.
import type { Call, Route } from '../context.ts';
import { sendJson } from '../http.ts';
import { configOf, imageSize } from '../imageInfo.ts';
import { findImage, repoDigests, repoTags } from '../names.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** An empty container config as dockerd 20.10 prints it (measured). */
const EMPTY_CONFIG = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

async function inspect(call: Call): Promise<void> {
  const { root } = call.engine;
  const found = findImage(root, call.params['name'] ?? '');
  const record = found.named ?? found.records[0];
  if (record === undefined) return;
  const config = await configOf(root, record);
  const top = record.layers.at(-1)?.chainId;
  const lowers = top === undefined ? [] : root.snapshots.lowers(top);
  const tagged = found.records
    .map((r) => r.createdAt)
    .sort()
    .at(-1);
  const raw = config as unknown as Record<string, unknown>;
  sendJson(call.res, 200, {
    Id: found.id,
    RepoTags: repoTags(found.records),
    RepoDigests: repoDigests(found.records),
    Parent: '',
    Comment: typeof raw['comment'] === 'string' ? raw['comment'] : '',
    Created: config.created ?? ZERO_TIME,
    Container: '',
    ContainerConfig: EMPTY_CONFIG,
    DockerVersion: typeof raw['docker_version'] === 'string' ? raw['docker_version'] : '',
    Author: typeof raw['author'] === 'string' ? raw['author'] : '',
    Config: config.config ?? null,
    Architecture: config.architecture ?? '',
    ...(typeof raw['variant'] === 'string' ? { Variant: raw['variant'] } : {}),
    Os: config.os ?? '',
    Size: await imageSize(root, record),
    GraphDriver: { Name: 'overlayfs', Data: lowers.length === 0 ? null : { LowerDir: lowers.join(':') } },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: tagged ?? ZERO_TIME },
  });
}

export const routes: Route[] = [{ method: 'GET', path: '/images/{name*}/json', handler: inspect }];
