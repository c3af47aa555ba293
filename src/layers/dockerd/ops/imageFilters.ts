import { familiarName, parseReference } from '../../../model/image.ts';
import type { ImageRecord } from '../records.ts';

/**
 * `GET /images/json?filters=…` as dockerd reads it (moby api/types/filters, daemon/images
 * images.go): a JSON object of filter name → values (a list, or the legacy {value: true} map);
 * reference (a glob over the familiar name, with or without its tag), dangling (true|false),
 * label (key or key=value); before and since are taken and not applied. A malformed value is a
 * 400 with dockerd's text (measured on dockerd 20.10).
 */
export type ImageFilters = Map<string, string[]>;

const KNOWN = new Set(['reference', 'dangling', 'label', 'before', 'since']);

/** Any endpoint's `filters` query (images, events): name → values, or dockerd's 400 text. */
export function parseFilterDoc(text: string | undefined | null): ImageFilters | { error: string } {
  const out: ImageFilters = new Map();
  if (text === undefined || text === null || text === '') return out;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { error: `invalid filter: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { error: 'invalid filter: not an object' };
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (Array.isArray(value)) out.set(key, value.map(String));
    else if (typeof value === 'object' && value !== null) out.set(key, Object.keys(value));
    else return { error: `invalid filter: ${key}` };
  }
  return out;
}

export function parseImageFilters(text: string | undefined): ImageFilters | { error: string } {
  const out = parseFilterDoc(text);
  if ('error' in out) return out;
  for (const key of out.keys()) if (!KNOWN.has(key)) return { error: `invalid filter '${key}'` };
  const dangling = out.get('dangling')?.[0];
  if (dangling !== undefined && dangling !== 'true' && dangling !== 'false')
    return { error: `invalid filter 'dangling=${dangling}'` };
  return out;
}

/** Docker's reference filter: a glob over the familiar name, with or without the tag. */
function globMatch(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`).test(text);
}

/** The names a reference filter keeps (dockerd lists only the matching names of an image). */
export function matchingNames(records: readonly ImageRecord[], patterns: readonly string[]): ImageRecord[] {
  return records.filter((r) => {
    const full = familiarName(r.name);
    const repo = familiarRepo(r.name);
    return patterns.some((p) => globMatch(p, full) || globMatch(p, repo));
  });
}

/** A name's repository in docker's familiar form, without tag or digest: `busybox`, `127.0.0.1:5000/app`. */
export function familiarRepo(name: string): string {
  return familiarName(name)
    .replace(/@.*$/, '')
    .replace(/:[^:/]*$/, '');
}

export function matchesLabel(labels: Record<string, string> | null, filter: string): boolean {
  const eq = filter.indexOf('=');
  const key = eq < 0 ? filter : filter.slice(0, eq);
  if (labels === null || !(key in labels)) return false;
  return eq < 0 || labels[key] === filter.slice(eq + 1);
}

/** The records whose names are tags (a name pinned by digest is no tag). */
export function taggedRecords<T extends { name: string }>(records: readonly T[]): T[] {
  return records.filter((r) => parseReference(r.name).digest === undefined);
}

/** RepoTags: the tagged names, familiar and sorted. */
export function repoTagsOf(records: readonly ImageRecord[]): string[] {
  return taggedRecords(records)
    .map((r) => familiarName(r.name))
    .sort();
}

/** RepoDigests: `repo@digest` of what each name resolved to at its registry; a name made here has none. */
export function repoDigestsOf(records: readonly ImageRecord[]): string[] {
  const out = new Set<string>();
  for (const r of records) {
    if (r.repoDigest !== '') out.add(`${familiarRepo(r.name)}@${r.repoDigest}`);
  }
  return [...out].sort();
}
