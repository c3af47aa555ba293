import { parseGoBool, ramInBytes } from './goValues.ts';
import type { MountSpec } from './types.ts';

/**
 * `-v`/`--volume` and `--mount`, as docker/cli reads them before any request.
 *
 * `-v SRC:DST[:MODE]` goes through cli/compose/loader/volume.go `ParseVolume` (its errors: `invalid
 * empty volume spec`, `invalid spec: X: empty section between colons`, `… too many colons`); a
 * spec with a source is sent as is in `HostConfig.Binds`, and the daemon judges the rest (modes,
 * absolute paths). `--mount k=v,…` is opts/mount.go `MountOpt.Set`: a CSV record of key=value
 * fields, checked as the flag is set, so its errors are pflag's `invalid argument … for "--mount"
 * flag: …`. Volumes (named or anonymous) and tmpfs mounts are not simulated: the builder refuses
 * them by name (see {@link volumeRefusal}).
 * https://docs.docker.com/engine/storage/bind-mounts/
 */

/** What ParseVolume makes of a `-v` spec: enough to tell a bind from a volume. */
export interface VolumeSpec {
  source: string;
  target: string;
  type: 'bind' | 'volume';
}

/** Go's len(s): bytes of UTF-8. */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    n += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return n;
}

function isWindowsDrive(buffer: string, char: string): boolean {
  return char === ':' && buffer.length === 1 && /\p{L}/u.test(buffer);
}

/** loader.ParseVolume, keeping what the CLI needs; throws docker's error text. */
export function parseVolume(spec: string): VolumeSpec {
  if (spec.length === 0) throw new Error('invalid empty volume spec');
  if (utf8Length(spec) <= 2) return { source: '', target: spec, type: 'volume' };
  const fields: string[] = [];
  let buffer = '';
  const chars = [...spec, ''];
  for (const [i, char] of chars.entries()) {
    if (isWindowsDrive(buffer, char)) buffer += char;
    else if (char === ':' || i === chars.length - 1) {
      if (buffer === '') throw new Error(`invalid spec: ${spec}: empty section between colons`);
      if (fields.length === 2 && char === ':') throw new Error(`invalid spec: ${spec}: too many colons`);
      fields.push(buffer);
      buffer = '';
    } else buffer += char;
  }
  // One field is an anonymous volume's target; options (the third field) are not errors here.
  const [source = '', target = ''] = fields.length === 1 ? ['', fields[0] ?? ''] : fields;
  return { source, target, type: source !== '' && isFilePath(source) ? 'bind' : 'volume' };
}

/** loader.isFilePath: `.`, `/`, `~`, a Windows drive or a named pipe makes a bind. */
function isFilePath(source: string): boolean {
  if ('./~'.includes(source.charAt(0))) return true;
  if ([...source].length === 1) return false;
  if (source.startsWith('\\\\')) return true;
  return isWindowsDrive(source.charAt(0), source.charAt(1));
}

/**
 * encoding/csv's Reader.Read for one line, as MountOpt.Set uses it (comma-separated, RFC 4180
 * quotes, no lazy quotes), with its ParseError texts.
 */
export function readCsvRecord(line: string): string[] {
  if (line === '') throw new Error('EOF');
  const fields: string[] = [];
  let i = 0;
  const fail = (col: number, why: string) => new Error(`parse error on line 1, column ${col}: ${why}`);
  for (;;) {
    let field = '';
    if (line.charAt(i) === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= line.length) throw fail(line.length + 1, 'extraneous or missing " in quoted-field');
        if (line.charAt(j) === '"' && line.charAt(j + 1) === '"') {
          field += '"';
          j += 2;
        } else if (line.charAt(j) === '"') break;
        else field += line.charAt(j++);
      }
      if (j + 1 < line.length && line.charAt(j + 1) !== ',')
        throw fail(j + 1, 'extraneous or missing " in quoted-field');
      i = j + 1;
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      const quote = field.indexOf('"');
      if (quote >= 0) throw fail(i + quote + 1, 'bare " in non-quoted-field');
      i += field.length;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i += 1; // the comma
    if (i >= line.length) return [...fields, ''];
  }
}

const FLAG_FIELDS = new Set(['readonly', 'ro', 'volume-nocopy', 'bind-nonrecursive']);

/** The option groups a `--mount` set, for MountOpt's "cannot mix" checks. */
interface MountDraft {
  spec: MountSpec;
  volumeOptions: boolean;
  bindOptions: boolean;
  tmpfsOptions: boolean;
}

function boolField(key: string, val: string): boolean {
  try {
    return parseGoBool(val);
  } catch {
    throw new Error(
      key === 'volume-nocopy'
        ? `invalid value for volume-nocopy: ${val}`
        : `invalid value for ${key}: ${val}`,
    );
  }
}

function setField(d: MountDraft, key: string, val: string, field: string): void {
  const s = d.spec;
  switch (key) {
    case 'type':
      s.type = val.toLowerCase();
      return;
    case 'source':
    case 'src':
      s.source = val;
      return;
    case 'target':
    case 'dst':
    case 'destination':
      s.target = val;
      return;
    case 'readonly':
    case 'ro':
      s.readOnly = boolField(key, val);
      return;
    case 'consistency':
      s.consistency = val.toLowerCase();
      return;
    case 'bind-propagation':
      d.bindOptions = true;
      s.propagation = val.toLowerCase();
      return;
    case 'bind-nonrecursive':
      d.bindOptions = true;
      s.nonRecursive = boolField(key, val);
      return;
    case 'volume-nocopy':
      d.volumeOptions = true;
      boolField(key, val);
      return;
    case 'volume-label':
    case 'volume-driver':
    case 'volume-opt':
      d.volumeOptions = true;
      return;
    case 'tmpfs-size':
      d.tmpfsOptions = true;
      tmpfsValue(key, val, () => ramInBytes(val));
      return;
    case 'tmpfs-mode':
      d.tmpfsOptions = true;
      tmpfsValue(key, val, () => parseOctal32(val));
      return;
    default:
      throw new Error(`unexpected key '${key}' in '${field}'`);
  }
}

function tmpfsValue(key: string, val: string, parse: () => number): void {
  try {
    parse();
  } catch {
    throw new Error(`invalid value for ${key}: ${val}`);
  }
}

function parseOctal32(val: string): number {
  if (!/^[0-7]+$/.test(val) || parseInt(val, 8) > 0xffffffff) throw new Error('bad octal');
  return parseInt(val, 8);
}

/** opts.MountOpt.Set: the mount, or a throw with docker's text. The type defaults to volume. */
export function parseMountOpt(value: string): MountSpec {
  const d: MountDraft = {
    spec: { type: 'volume', target: '' },
    volumeOptions: false,
    bindOptions: false,
    tmpfsOptions: false,
  };
  for (const field of readCsvRecord(value)) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      if (!FLAG_FIELDS.has(field)) throw new Error(`invalid field '${field}' must be a key=value pair`);
      setField(d, field, 'true', field);
      continue;
    }
    setField(d, field.slice(0, eq), field.slice(eq + 1), field);
  }
  const { spec } = d;
  if (spec.type === '') throw new Error('type is required');
  if (spec.target === '') throw new Error('target is required');
  if (d.volumeOptions && spec.type !== 'volume')
    throw new Error(`cannot mix 'volume-*' options with mount type '${spec.type}'`);
  if (d.bindOptions && spec.type !== 'bind')
    throw new Error(`cannot mix 'bind-*' options with mount type '${spec.type}'`);
  if (d.tmpfsOptions && spec.type !== 'tmpfs')
    throw new Error(`cannot mix 'tmpfs-*' options with mount type '${spec.type}'`);
  return spec;
}

/**
 * The local volume driver's name rule (moby volume/local: `[a-zA-Z0-9][a-zA-Z0-9_.-]` and at
 * least two characters). A name it rejects is the daemon's error to give, not the console's.
 */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * What dockstep cannot run: a volume (named or anonymous), a tmpfs mount, and a source relative
 * to the working directory (docker/cli makes `./site` absolute with the shell's directory, the
 * console has none: `relative` says the CLI would have). Undefined when the spec can be
 * simulated or is the daemon's to refuse.
 */
export function volumeRefusal(
  flag: string,
  typed: string,
  kind: string,
  source: string,
  relative: boolean,
): string | undefined {
  const what = `'${flag} ${typed}'`;
  if (kind === 'bind' && relative) {
    return `dockstep: ${what} has a relative source, and the console has no working directory; give an absolute host path`;
  }
  if (kind === 'volume' && source === '')
    return `dockstep: ${what} is an anonymous volume, which dockstep does not simulate yet; bind a host directory instead (-v /host/dir:/data)`;
  if (kind === 'volume' && VOLUME_NAME.test(source))
    return `dockstep: ${what} names a volume, which dockstep does not simulate yet; bind a host directory instead (-v /host/dir:/data)`;
  if (kind === 'tmpfs') return `dockstep: ${what} is a tmpfs mount, which dockstep does not simulate yet`;
  return undefined;
}
