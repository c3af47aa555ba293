// GET /images/json?all&filters: `docker images`. One entry per image id, the fields of API
// 1.44 (VirtualSize is gone since 1.44; SharedSize and Containers are -1 unless asked for).
// Filters (JSON {"reference":[…],"dangling":["true"|"false"],"label":[…]}) as dockerd's
// image list reads them; a malformed filters parameter is 400.
import { familiarName, parseReference } from '../../image/reference.ts';
import type { ImageRecord } from '../../image/store/imageStore.ts';
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { sendJson } from '../http.ts';
import { configOf, imageSize, unixSeconds } from '../imageInfo.ts';
import { imagesById, repoDigests, repoTags } from '../names.ts';

export function parseFilters(text: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (text === null || text === '') return out;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw badRequest(`invalid filter: ${(error as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw badRequest('invalid filter: not an object');
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (Array.isArray(value)) out.set(key, value.map(String));
    else if (typeof value === 'object' && value !== null) out.set(key, Object.keys(value));
    else throw badRequest(`invalid filter: ${key}`);
  }
  return out;
}

/** Docker's reference filter: a glob over the familiar name, with or without the tag. */
function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return re.test(text);
}

/** The records a reference filter keeps (dockerd lists only the matching names of an image). */
export function matchingRecords(records: readonly ImageRecord[], patterns: readonly string[]): ImageRecord[] {
  return records.filter((r) => {
    const ref = parseReference(r.name);
    const full = familiarName(ref);
    const repo = familiarName({ domain: ref.domain, path: ref.path });
    return patterns.some((p) => globMatch(p, full) || globMatch(p, repo));
  });
}

const KNOWN = new Set(['reference', 'dangling', 'label', 'before', 'since']);

async function list(call: Call): Promise<void> {
  const filters = parseFilters(call.query.get('filters'));
  for (const key of filters.keys()) if (!KNOWN.has(key)) throw badRequest(`invalid filter '${key}'`);
  const dangling = filters.get('dangling')?.[0];
  if (dangling !== undefined && dangling !== 'true' && dangling !== 'false')
    throw badRequest(`invalid filter 'dangling=${dangling}'`);
  const out: unknown[] = [];
  for (const [id, records] of imagesById(call.engine.root)) {
    if (dangling === 'true' && repoTags(records).length > 0) continue;
    const refs = filters.get('reference');
    const shown = refs === undefined ? records : matchingRecords(records, refs);
    if (shown.length === 0) continue;
    const tags = repoTags(shown);
    const digests = repoDigests(shown);
    const first = records[0] as ImageRecord;
    const config = await configOf(call.engine.root, first);
    const labels = ((config.config ?? {})['Labels'] ?? null) as Record<string, string> | null;
    const want = filters.get('label');
    if (want !== undefined && !want.every((l) => matchesLabel(labels, l))) continue;
    out.push({
      Containers: -1,
      Created: unixSeconds(config.created),
      Id: id,
      Labels: labels,
      ParentId: '',
      RepoDigests: refs !== undefined && digests.length === 0 ? null : digests,
      RepoTags: tags,
      SharedSize: -1,
      Size: await imageSize(call.engine.root, first),
    });
  }
  sendJson(call.res, 200, out);
}

function matchesLabel(labels: Record<string, string> | null, filter: string): boolean {
  const eq = filter.indexOf('=');
  const key = eq < 0 ? filter : filter.slice(0, eq);
  if (labels === null || !(key in labels)) return false;
  return eq < 0 || labels[key] === filter.slice(eq + 1);
}

export const routes: Route[] = [{ method: 'GET', path: '/images/json', handler: list }];
