import type { JsonObject } from '../../../model/json.ts';
import type { ContainerConfig } from '../../../model/image.ts';
import type { CreatedConfig } from '../records.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

const stringList = (v: unknown): string[] | null =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The create body's User, WorkingDir, Labels, Entrypoint and Cmd merged with the image's as
 * dockerd merges them (moby v20.10.24 daemon/commit.go merge): the image's user and working
 * directory when the body has none, its labels under the body's, and, when the body names no
 * entrypoint, the image's entrypoint and (when the body has no command either) its command.
 * https://github.com/moby/moby/blob/v20.10.24/daemon/commit.go
 */
export function createdConfig(body: Record<string, unknown>, image: ContainerConfig): CreatedConfig {
  const entrypoint = stringList(body.Entrypoint);
  const cmd = stringList(body.Cmd);
  const ownEntrypoint = entrypoint !== null && entrypoint.length > 0;
  return {
    user: text(body.User) || (image.User ?? ''),
    workingDir: text(body.WorkingDir) || (image.WorkingDir ?? ''),
    labels: { ...(image.Labels ?? {}), ...stringMap(body.Labels) },
    entrypoint: ownEntrypoint ? entrypoint : (image.Entrypoint ?? null),
    cmd: ownEntrypoint || (cmd !== null && cmd.length > 0) ? cmd : (image.Cmd ?? null),
  };
}

interface CreatedConfigJson {
  User: string;
  WorkingDir: string;
  Entrypoint: string[] | null;
  Labels: Record<string, string>;
  Cmd: string[] | null;
}

/**
 * Config's fields for inspect and config.v2.json (moby api/types/container Config); a record made
 * without them (a build's container) has its argv as its command.
 */
export function createdConfigJson(c: CreatedConfig | undefined, argv: string[]): CreatedConfigJson {
  return {
    User: c?.user ?? '',
    WorkingDir: c?.workingDir ?? '',
    Entrypoint: c?.entrypoint ?? null,
    Labels: c?.labels ?? {},
    Cmd: c === undefined ? argv : c.cmd,
  };
}

/** The record's config back from config.v2.json's Config. */
export function storedConfig(cfg: JsonObject): CreatedConfig {
  return {
    user: text(cfg.User),
    workingDir: text(cfg.WorkingDir),
    labels: stringMap(cfg.Labels),
    entrypoint: stringList(cfg.Entrypoint),
    cmd: stringList(cfg.Cmd),
  };
}
