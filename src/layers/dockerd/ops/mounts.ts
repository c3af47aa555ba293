import type { JsonObject, JsonValue } from '../../../model/json.ts';
import type { OciSpec } from '../../../model/oci.ts';
import { cleanPath } from '../../../model/paths.ts';

/**
 * A container's mount points, as moby keeps them (volume/mounts/linux_parser.go, daemon/volumes.go
 * `registerMountPoints`, daemon/oci_linux.go). A bind's source is a path on the machine dockerd
 * runs on — the host itself on Linux, the Linux VM under Docker Desktop, where host directories
 * appear under /host_mnt. A volume's is the local driver's directory, set once the volume is
 * made (volumeMounts.ts).
 * https://docs.docker.com/engine/storage/bind-mounts/ https://docs.docker.com/engine/storage/volumes/
 */
export interface MountPoint {
  Type: 'bind' | 'volume';
  /** A volume's name (64 hex digits for an anonymous one). */
  Name?: string;
  /** A volume's driver. */
  Driver?: string;
  /** A volume made for this container alone (`-v /dst`, the image's VOLUME): `rm -v` removes it. */
  anonymous?: boolean;
  /** An empty volume is filled from the image's content at the destination (not with `nocopy`). */
  copyData?: boolean;
  /** A `-v` bind whose host directory is made when missing (`--mount` refuses a missing one). */
  createHostDir?: boolean;
  Source: string;
  Destination: string;
  /** The `-v` mode as typed (`ro`, `ro,z`), empty for `--mount`. */
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** `bind-nonrecursive`: `bind` instead of `rbind` in the OCI spec. */
  nonRecursive?: boolean;
}

/** A daemon error: its message and HTTP status. */
export interface MountError {
  code: number;
  message: string;
}

const RW_MODES = new Set(['rw', 'ro']);
const LABEL_MODES = new Set(['z', 'Z']);
const PROPAGATIONS = new Set(['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared']);
const CONSISTENCY = new Set(['consistent', 'cached', 'delegated']);

/** linuxValidMountMode: each option known, at most one of each kind. */
function validMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = [0, 0, 0, 0, 0];
  for (const o of mode.split(',')) {
    const kind = RW_MODES.has(o)
      ? 0
      : LABEL_MODES.has(o)
        ? 1
        : PROPAGATIONS.has(o)
          ? 2
          : o === 'nocopy'
            ? 3
            : CONSISTENCY.has(o)
              ? 4
              : -1;
    if (kind < 0) return false;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts.every((n) => n <= 1);
}

/** validateMountConfigImpl's checks on the target, shared by `-v` and `--mount`. */
function targetError(type: string, target: string): string | undefined {
  const prefix = `invalid mount config for type "${type}": `;
  if (target === '') return `${prefix}field Target must not be empty`;
  if (cleanPath(target) === '/') return `${prefix}invalid specification: destination can't be '/'`;
  if (!target.startsWith('/')) return `${prefix}invalid mount path: '${target}' mount path must be absolute`;
  return undefined;
}

/** The bind-specific checks (source present and absolute, propagation known). */
function bindError(
  source: string,
  propagation: string | undefined,
  volumeOptions: boolean,
): string | undefined {
  const prefix = 'invalid mount config for type "bind": ';
  if (source === '') return `${prefix}field Source must not be empty`;
  if (propagation && !PROPAGATIONS.has(propagation))
    return `${prefix}invalid propagation mode: ${propagation}`;
  if (volumeOptions) return `${prefix}field VolumeOptions must not be specified`;
  if (!source.startsWith('/')) return `${prefix}invalid mount path: '${source}' mount path must be absolute`;
  return undefined;
}

/**
 * `HostConfig.Mounts`, checked in verifyContainerSettings before the image is looked up
 * (ValidateMountConfig). The simulated host has no file system to stat, so a bind source is
 * taken to exist (moby would say `bind source path does not exist: …`).
 */
export function mountsConfigError(mounts: readonly JsonObject[]): MountError | undefined {
  for (const m of mounts) {
    const type = String(m.Type ?? '');
    const target = targetError(type, String(m.Target ?? ''));
    if (target) return { code: 400, message: target };
    if (type === 'bind') {
      const bind = bindError(
        String(m.Source ?? ''),
        (m.BindOptions as JsonObject | undefined)?.Propagation as string | undefined,
        m.VolumeOptions !== undefined,
      );
      if (bind) return { code: 400, message: bind };
    } else if (type !== 'volume' && type !== 'tmpfs')
      return { code: 400, message: `invalid mount config for type "${type}": mount type unknown` };
  }
  return undefined;
}

/** ParseMountRaw for one `-v` spec: a bind mount point, a volume's name, or docker's error. */
function parseBind(raw: string): MountPoint | { volume: string } | MountError {
  const invalid = `invalid volume specification: '${raw}'`;
  const arr = splitN(raw, ':', 4);
  const [source = '', target = '', mode = ''] = arr;
  if (source === '' || arr.length > 3 || (arr.length === 2 && validMode(target)) || arr.length === 1)
    return { code: 500, message: invalid };
  if (!validMode(mode)) return { code: 500, message: `invalid mode: ${mode}` };
  const modes = mode.split(',');
  const error =
    targetError(source.startsWith('/') ? 'bind' : 'volume', target) ??
    (source.startsWith('/') ? bindError(source, undefined, modes.includes('nocopy')) : undefined);
  if (error) return { code: 500, message: `${invalid}: ${error}` };
  if (!source.startsWith('/')) {
    if (!VOLUME_NAME.test(source)) return { volume: source };
    // A volume's default mode is `z` (relabel, shared), as dockerd shows it (u-volumes-in-containers.txt).
    return volumePoint(source, cleanPath(target), mode === '' ? 'z' : mode, !modes.includes('ro'), {
      copyData: !modes.includes('nocopy'),
    });
  }
  const propagation = modes.find((o) => PROPAGATIONS.has(o)) ?? 'rprivate';
  return {
    Type: 'bind',
    Source: cleanPath(source),
    Destination: cleanPath(target),
    Mode: mode,
    RW: !modes.includes('ro'),
    Propagation: propagation,
    createHostDir: true,
  };
}

/** The local driver's names (moby volume/local/local.go validateName). */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A volume's mount point before the volume is made: its Source comes from the driver. */
export function volumePoint(
  name: string,
  destination: string,
  mode: string,
  rw: boolean,
  o: { copyData: boolean; anonymous?: boolean },
): MountPoint {
  return {
    Type: 'volume',
    Name: name,
    Driver: 'local',
    Source: '',
    Destination: destination,
    Mode: mode,
    RW: rw,
    Propagation: '',
    copyData: o.copyData,
    ...(o.anonymous === true ? { anonymous: true } : {}),
  };
}

/** strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/**
 * registerMountPoints: Binds first, then Mounts, one mount point per destination. A volume's name
 * is the local driver's to judge; a `--mount type=volume` without a source is an anonymous one
 * (named by the caller). The volumes themselves are made by the create (volumeMounts.ts).
 */
export function registerMountPoints(
  binds: readonly string[],
  mounts: readonly JsonObject[],
): MountPoint[] | MountError {
  const points: MountPoint[] = [];
  const taken = (dest: string) => points.some((p) => p.Destination === dest);
  for (const raw of binds) {
    const point = parseBind(raw);
    if ('message' in point) return point;
    if ('volume' in point) return volumeError(point.volume);
    if (taken(point.Destination))
      return { code: 400, message: `Duplicate mount point: ${point.Destination}` };
    points.push(point);
  }
  for (const m of mounts) {
    const destination = cleanPath(String(m.Target ?? ''));
    if (taken(destination)) return { code: 400, message: `Duplicate mount point: ${String(m.Target ?? '')}` };
    if (m.Type === 'volume') {
      const point = mountVolume(m, destination);
      if ('message' in point) return point;
      points.push(point);
      continue;
    }
    if (m.Type !== 'bind') return volumeError(String(m.Source ?? ''));
    const bind = (m.BindOptions ?? {}) as JsonObject;
    const point: MountPoint = {
      Type: 'bind',
      Source: cleanPath(String(m.Source ?? '')),
      Destination: destination,
      Mode: '',
      RW: m.ReadOnly !== true,
      Propagation: String(bind.Propagation ?? 'rprivate'),
    };
    if (bind.NonRecursive === true) point.nonRecursive = true;
    points.push(point);
  }
  return points;
}

/** `--mount type=volume[,source=NAME][,readonly][,volume-nocopy]`: a named or anonymous volume. */
function mountVolume(m: JsonObject, destination: string): MountPoint | MountError {
  const name = String(m.Source ?? '');
  if (name !== '' && !VOLUME_NAME.test(name)) return volumeError(name);
  const options = m.VolumeOptions;
  const noCopy =
    typeof options === 'object' && options !== null && !Array.isArray(options) && options.NoCopy === true;
  return volumePoint(name, destination, '', m.ReadOnly !== true, {
    copyData: !noCopy,
    anonymous: name === '',
  });
}

function volumeError(name: string): MountError {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
    return {
      code: 400,
      message: `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    };
  }
  return { code: 500, message: `create ${name}: volumes are not simulated` };
}

/** `docker inspect`'s Mounts (and the `/containers/json` summary's). */
export function mountsJson(points: readonly MountPoint[]): JsonValue[] {
  return points.map((p) => ({
    Type: p.Type,
    ...(p.Name === undefined ? {} : { Name: p.Name }),
    Source: p.Source,
    Destination: p.Destination,
    ...(p.Driver === undefined ? {} : { Driver: p.Driver }),
    Mode: p.Mode,
    RW: p.RW,
    Propagation: p.Propagation,
  }));
}

/**
 * The OCI spec's bind mounts (oci_linux.go WithMounts): `rbind` (or `bind`), `ro` when read-only,
 * then the propagation — `{destination, type: bind, source, options: [rbind, ro, rprivate]}`.
 */
export function ociBindMounts(points: readonly MountPoint[]): OciSpec['mounts'] {
  return points.map((p) => ({
    destination: p.Destination,
    type: 'bind',
    source: p.Source,
    // A volume's mount point shows no propagation; its spec mount is rprivate (oci_linux.go).
    options: [p.nonRecursive ? 'bind' : 'rbind', ...(p.RW ? [] : ['ro']), p.Propagation || 'rprivate'],
  }));
}

/**
 * moby sorts the container's mounts by the depth of their destination (daemon/volumes.go
 * `sortMounts`), so a parent is mounted before what is mounted inside it. Stable here.
 */
export function byDepth(mounts: OciSpec['mounts']): OciSpec['mounts'] {
  const depth = (d: string) => cleanPath(d).split('/').length;
  return mounts
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i)
    .map((x) => x.m);
}
