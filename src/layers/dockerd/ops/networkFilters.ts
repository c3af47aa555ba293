import type { NetworkRecord } from '../records.ts';

/**
 * `docker network ls --filter` (moby v20.10.24 daemon/network/filter.go FilterNetworks,
 * api/types/filters): `name` and `id` match as regular expressions anywhere in the value
 * (filters.Match), `driver` and `scope` exactly, `type` is `custom` or `builtin`; several values
 * of one key are alternatives, several keys must all hold. Any other key is dockerd's 400.
 */
const KEYS = new Set(['name', 'id', 'driver', 'scope', 'type', 'label', 'dangling']);

export type NetworkFilters = Map<string, string[]>;

/** The query's `filters` (`{"name":{"n1":true}}`, or the old `{"name":["n1"]}`); an error text for a bad one. */
export function parseNetworkFilters(text: string | undefined): NetworkFilters | string {
  const out: NetworkFilters = new Map();
  if (text === undefined || text === '') return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `invalid filter: ${text}`;
  }
  if (typeof parsed !== 'object' || parsed === null) return `invalid filter: ${text}`;
  for (const [key, value] of Object.entries(parsed)) {
    if (!KEYS.has(key)) return `Invalid filter '${key}'`;
    const values: unknown[] = Array.isArray(value) ? value : Object.keys(value as object);
    out.set(key, values.map(String));
  }
  return out;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return value.includes(pattern);
  }
}

function keep(n: NetworkRecord, key: string, values: string[], used: (n: NetworkRecord) => boolean): boolean {
  const one = (v: string): boolean => {
    if (key === 'name') return matches(v, n.name);
    if (key === 'id') return matches(v, n.id);
    if (key === 'driver') return v === n.driver;
    if (key === 'scope') return v === 'local';
    if (key === 'type') return v === (n.predefined ? 'builtin' : 'custom');
    // No network here has labels; a dangling one is a custom network no container uses.
    if (key === 'dangling') return (v === 'true' || v === '1') === (!n.predefined && !used(n));
    return false;
  };
  return values.some(one);
}

export function filterNetworks(
  all: NetworkRecord[],
  filters: NetworkFilters,
  used: (n: NetworkRecord) => boolean,
): NetworkRecord[] {
  return all.filter((n) => [...filters].every(([key, values]) => keep(n, key, values, used)));
}
