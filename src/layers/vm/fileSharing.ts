import type { JsonObject, JsonValue } from '../../model/json.ts';
import { cleanPath, isWithin } from '../../model/paths.ts';

/**
 * Docker Desktop's file sharing, as the Engine API proxy applies it to bind mounts (Docker
 * Desktop for Mac).
 *
 * dockerd runs in the Linux VM, so a host path in `-v /Users/me/site:/usr/share/nginx/html` means
 * nothing to it as typed. The host's shared directories are mounted in the VM under /host_mnt
 * (virtiofs by default, gRPC FUSE or osxfs as alternatives), and the proxy rewrites each bind
 * source to that mount before dockerd sees the request: dockerd's own errors then name
 * `/host_mnt/Users/…`. Answers are rewritten back, so `docker inspect` shows the original path.
 * A path outside the shared directories is refused at start with `Mounts denied`. The VM's own
 * Docker socket is mounted from the VM itself, not from the host.
 *
 * Sources: https://docs.docker.com/desktop/settings-and-maintenance/settings/#file-sharing
 * (the default shared directories), https://github.com/docker/docs/pull/11572 ("we now mount
 * under /host_mnt"), https://github.com/docker/for-mac/issues/4859 (inspect shows the original
 * path), https://github.com/docker/for-mac/issues/6545 (/var/run/docker.sock is special).
 */
export const SHARED_DIRECTORIES: readonly string[] = [
  '/Users',
  '/Volumes',
  '/private',
  '/tmp',
  '/var/folders',
];
export const HOST_MNT = '/host_mnt';
/** Sources the VM provides itself. */
const FROM_THE_VM: readonly string[] = ['/var/run/docker.sock'];

/** One bind source the proxy saw in a create request. */
export interface SharedBind {
  /** As typed on the host. */
  host: string;
  /** What dockerd gets: the path in the VM (unchanged for the VM's own files). */
  vm: string;
  shared: boolean;
}

function share(source: string): SharedBind {
  const host = cleanPath(source);
  if (FROM_THE_VM.includes(host)) return { host: source, vm: source, shared: true };
  const shared = SHARED_DIRECTORIES.some((dir) => isWithin(host, dir));
  return { host: source, vm: shared ? `${HOST_MNT}${host}` : source, shared };
}

/**
 * The create body with every bind source rewritten (HostConfig.Binds entries and
 * HostConfig.Mounts of type bind), and the binds seen. Volume names are left alone.
 */
export function shareBinds(body: JsonObject): { body: JsonObject; binds: SharedBind[] } {
  const host = (body.HostConfig ?? {}) as JsonObject;
  const binds: SharedBind[] = [];
  const next: JsonObject = { ...host };
  if (Array.isArray(host.Binds)) {
    next.Binds = (host.Binds as string[]).map((raw) => {
      const colon = raw.indexOf(':');
      const source = colon < 0 ? raw : raw.slice(0, colon);
      if (!source.startsWith('/')) return raw;
      const b = share(source);
      binds.push(b);
      return `${b.vm}${raw.slice(source.length)}`;
    });
  }
  if (Array.isArray(host.Mounts)) {
    next.Mounts = (host.Mounts as JsonObject[]).map((m) => {
      if (m.Type !== 'bind' || typeof m.Source !== 'string' || !m.Source.startsWith('/')) return m;
      const b = share(m.Source);
      binds.push(b);
      return { ...m, Source: b.vm };
    });
  }
  return { body: binds.length > 0 ? { ...body, HostConfig: next } : body, binds };
}

/** `/host_mnt/Users/me/site` → `/Users/me/site`; anything else unchanged. */
export function toHost(path: string): string {
  return isWithin(path, HOST_MNT) && path !== HOST_MNT ? path.slice(HOST_MNT.length) : path;
}

/** The fields rewritten so far, and the distinct paths they held. */
interface Counter {
  n: number;
  paths: Set<string>;
}

function count(counter: Counter, vmPath: string): string {
  counter.n++;
  counter.paths.add(vmPath);
  return toHost(vmPath);
}

function restoreMounts(list: JsonValue | undefined, counter: Counter): JsonValue | undefined {
  if (!Array.isArray(list)) return list;
  return list.map((m) => {
    const o = m as JsonObject;
    if (typeof o.Source !== 'string' || toHost(o.Source) === o.Source) return m;
    return { ...o, Source: count(counter, o.Source) };
  });
}

function restoreContainer(c: JsonObject, counter: Counter): JsonObject {
  const out: JsonObject = { ...c };
  if (Array.isArray(c.Mounts)) out.Mounts = restoreMounts(c.Mounts, counter) ?? null;
  const host = c.HostConfig as JsonObject | undefined;
  if (host && (Array.isArray(host.Binds) || Array.isArray(host.Mounts))) {
    const h: JsonObject = { ...host };
    if (Array.isArray(host.Binds)) {
      h.Binds = (host.Binds as string[]).map((raw) => {
        const colon = raw.indexOf(':');
        const source = colon < 0 ? raw : raw.slice(0, colon);
        if (toHost(source) === source) return raw;
        return `${count(counter, source)}${raw.slice(source.length)}`;
      });
    }
    if (Array.isArray(host.Mounts)) h.Mounts = restoreMounts(host.Mounts, counter) ?? null;
    out.HostConfig = h;
  }
  return out;
}

/**
 * The answer to `GET /containers/{id}/json` or `GET /containers/json` with the VM's paths turned
 * back into the host's, how many fields were changed, and the VM paths they held.
 */
export function restorePaths(payload: JsonValue | undefined): {
  payload: JsonValue | undefined;
  count: number;
  paths: string[];
} {
  const counter: Counter = { n: 0, paths: new Set() };
  const done = (p: JsonValue | undefined) => ({
    payload: counter.n > 0 ? p : payload,
    count: counter.n,
    paths: [...counter.paths],
  });
  if (Array.isArray(payload)) {
    return done(
      payload.map((c) =>
        typeof c === 'object' && c !== null && !Array.isArray(c) ? restoreContainer(c, counter) : c,
      ),
    );
  }
  if (typeof payload === 'object' && payload !== null) return done(restoreContainer(payload, counter));
  return done(payload);
}

/** The error the proxy gives for a bind source outside the shared directories. */
export function mountsDenied(path: string): string {
  return `Mounts denied: \nThe path ${path} is not shared from the host and is not known to Docker.\nYou can configure shared paths from Docker -> Preferences... -> Resources -> File Sharing.\nSee https://docs.docker.com/desktop/settings/mac/#file-sharing for more info.`;
}
