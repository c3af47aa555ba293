import type { ContainerConfig } from '../../../model/image.ts';

/**
 * `docker import -c` and `docker commit -c`: each change is one Dockerfile instruction applied to
 * an empty config (moby v20.10.24 builder/dockerfile/builder.go BuildFromConfig). Only the
 * instructions that change a config are allowed (validCommitCommands); any other is refused with
 * dockerd's words, recorded on 20.10 (y-diff-export-import.txt): `run is not a valid change command`.
 */
const VALID = new Set([
  'cmd',
  'entrypoint',
  'healthcheck',
  'env',
  'expose',
  'label',
  'onbuild',
  'user',
  'volume',
  'workdir',
]);

export type ImportConfig = ContainerConfig & {
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Labels?: Record<string, string>;
  User?: string;
  OnBuild?: string[];
};

/** A JSON array of strings (the exec form), or undefined for the shell form. */
function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

const argv = (rest: string): string[] => execForm(rest) ?? ['/bin/sh', '-c', rest];

/** `K=V K2=V2` or the old `K V` form (ENV, LABEL), quotes taken off. */
function pairs(rest: string): [string, string][] {
  const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  if (!/^[^\s=]+=/.test(rest)) {
    const [key = '', ...value] = rest.split(/\s+/);
    return [[key, unquote(value.join(' '))]];
  }
  const words = rest.match(/[^\s=]+=("[^"]*"|'[^']*'|\S*)/g) ?? [];
  return words.map((w) => {
    const eq = w.indexOf('=');
    return [w.slice(0, eq), unquote(w.slice(eq + 1))];
  });
}

function setEnv(env: string[], key: string, value: string): string[] {
  return [...env.filter((e) => e.split('=')[0] !== key), `${key}=${value}`];
}

function applyOne(c: ImportConfig, word: string, rest: string): void {
  if (word === 'cmd') c.Cmd = argv(rest);
  else if (word === 'entrypoint') c.Entrypoint = argv(rest);
  else if (word === 'workdir')
    c.WorkingDir = rest.startsWith('/') ? rest : `${c.WorkingDir ?? ''}/${rest}`.replace(/\/+/g, '/');
  else if (word === 'user') c.User = rest;
  else if (word === 'env') for (const [k, v] of pairs(rest)) c.Env = setEnv(c.Env ?? [], k, v);
  else if (word === 'label') for (const [k, v] of pairs(rest)) c.Labels = { ...c.Labels, [k]: v };
  else if (word === 'expose')
    for (const p of rest.split(/\s+/).filter(Boolean))
      c.ExposedPorts = { ...c.ExposedPorts, [p.includes('/') ? p : `${p}/tcp`]: {} };
  else if (word === 'volume')
    for (const v of execForm(rest) ?? rest.split(/\s+/).filter(Boolean))
      c.Volumes = { ...c.Volumes, [v]: {} };
  else if (word === 'onbuild') c.OnBuild = [...(c.OnBuild ?? []), rest];
}

/** The config the changes make, or dockerd's refusal of the first change it does not take. */
export function buildFromChanges(changes: readonly string[]): ImportConfig | { refused: string } {
  const config: ImportConfig = {};
  for (const line of changes) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const word = (trimmed.split(/\s+/)[0] ?? '').toLowerCase();
    if (!VALID.has(word)) return { refused: `${word} is not a valid change command` };
    applyOne(config, word, trimmed.slice(word.length).trim());
  }
  return config;
}
