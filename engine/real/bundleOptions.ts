// The container's spec as dockerd's operation built it (src/layers/dockerd/ops/containerStart.ts
// buildSpec, the model's OciSpec) turned into the real bundle's options (engine/shim/bundle.ts,
// which fills in Docker's defaults). The engine's own names replace Docker's: the cgroup goes
// under the engine's parent (`/dockstep/<id>`, cgroupfs driver), never under Docker's.
import { hostname } from 'node:os';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/model/json.ts';
import type { BundleOptions, OciMount } from '../shim/bundle.ts';

export const CGROUP_PARENT = '/dockstep';

const strings = (v: JsonValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const object = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});

/** Bind mounts the user asked for; dockerd's own per-container files are not on this host's paths. */
function binds(spec: JsonObject): OciMount[] {
  const mounts = Array.isArray(spec.mounts) ? spec.mounts.filter(isJsonObject) : [];
  return mounts
    .filter((m) => m.type === 'bind' && !String(m.source).startsWith('/var/lib/docker/'))
    .map((m) => ({
      destination: String(m.destination),
      type: 'bind',
      source: String(m.source),
      options: strings(m.options),
    }));
}

export function bundleOptions(spec: JsonObject, id: string): Omit<BundleOptions, 'rootfs'> {
  const process = object(spec.process);
  const user = object(process.user);
  const linux = object(spec.linux);
  const memory = Number(object(object(linux.resources).memory).limit ?? 0);
  const namespaces = Array.isArray(linux.namespaces) ? linux.namespaces.filter(isJsonObject) : [];
  const args = strings(process.args);
  if (args.length === 0) throw new Error(`container ${id}: the spec has no process args`);
  const mounts = binds(spec);
  const hostNetwork = !namespaces.some((n) => n.type === 'network');
  return {
    args,
    env: strings(process.env),
    cwd: typeof process.cwd === 'string' && process.cwd !== '' ? process.cwd : '/',
    // On the host's network Config.Hostname is the host's name (moby daemon/container.go
    // newContainer: os.Hostname(); z2-host-inspect.txt), in a UTS namespace of the container's own.
    hostname: hostNetwork ? hostname() : typeof spec.hostname === 'string' ? spec.hostname : id.slice(0, 12),
    user: { uid: Number(user.uid ?? 0), gid: Number(user.gid ?? 0) },
    terminal: process.terminal === true,
    cgroupsPath: `${CGROUP_PARENT}/${id}`,
    ...(memory > 0 ? { memoryLimit: memory } : {}),
    hostNetwork,
    ...(mounts.length > 0 ? { mounts } : {}),
  };
}
