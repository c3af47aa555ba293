import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { ImageRecord } from '../records.ts';
import { firstContainer } from './imageDelete.ts';
import { Removal, removeByName } from './imageDeleteRefs.ts';
import { matchesLabel, parseFilterDoc } from './imageFilters.ts';
import { findRecords, listImages } from './imageLookup.ts';
import { apiRequest } from './request.ts';

/**
 * `POST /images/prune?filters=…` — `docker image prune [-a] [--filter …]`, as dockerd 20.10 does
 * it (moby v20.10 daemon/images/image_prune.go), recorded in
 * test/fixtures/real-engine/m-image-prune.txt. Dangling images only by default (an image with no
 * name at all; this engine deletes an image with its last name, so there are none), every image
 * no container uses with `dangling=false`; `label`, `label!` and `until` narrow it. Each image is
 * removed name by name as `docker rmi NAME` would (a conflict skips the image), and the answer is
 * every line of those removals with `SpaceReclaimed`, the deleted layers' uncompressed size; then
 * one `prune` event with the `reclaimed` bytes and no actor. Images are taken in id order
 * (dockerd's is a Go map's, so any order is dockerd's).
 */
interface PruneFilters {
  dangling: boolean;
  labels: string[];
  notLabels: string[];
  /** Only images created before this (ms since the epoch). */
  until?: number;
}

const KEYS = new Set(['dangling', 'label', 'label!', 'until']);
const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in ms; undefined if it is not one. */
function goDuration(text: string): number | undefined {
  const parts = /^([0-9.]+(?:ns|us|µs|ms|s|m|h))+$/.test(text)
    ? text.match(/[0-9.]+(?:ns|us|µs|ms|s|m|h)/g)
    : null;
  if (parts === null) return undefined;
  return parts.reduce(
    (sum, p) => sum + Number(/^[0-9.]+/.exec(p)?.[0]) * (UNITS[p.replace(/^[0-9.]+/, '')] ?? 0),
    0,
  );
}

/** dockerd's `until`: a duration before now, a unix timestamp, or an RFC 3339 date. */
function untilOf(text: string, now: number): number | undefined {
  const duration = goDuration(text);
  if (duration !== undefined) return now - duration;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}

function pruneFilters(
  query: Record<string, string>,
  now: number,
): PruneFilters | { code: number; error: string } {
  const doc = parseFilterDoc(query.filters);
  if ('error' in doc) return { code: 400, error: doc.error };
  for (const key of doc.keys()) if (!KEYS.has(key)) return { code: 400, error: `Invalid filter '${key}'` };
  const dangling = doc.get('dangling') ?? [];
  if (
    dangling.length > 1 ||
    (dangling[0] !== undefined && !['true', 'false', '1', '0'].includes(dangling[0]))
  )
    return { code: 400, error: `Invalid filter 'dangling=[${dangling.join(' ')}]'` };
  const out: PruneFilters = {
    dangling: dangling[0] === undefined || dangling[0] === 'true' || dangling[0] === '1',
    labels: doc.get('label') ?? [],
    notLabels: doc.get('label!') ?? [],
  };
  for (const text of doc.get('until') ?? []) {
    const until = untilOf(text, now);
    if (until === undefined)
      return { code: 500, error: `failed to parse value as time or duration: ${JSON.stringify(text)}` };
    out.until = until;
  }
  return out;
}

function chosen(d: Daemon, f: PruneFilters, records: readonly ImageRecord[]): boolean {
  const first = records[0];
  // Without -a only dangling images go: no name at all, or Engine 29's `moby-dangling@…` record.
  const dangling = records.every((r) => r.name === '' || r.name.startsWith('moby-dangling@'));
  if (first === undefined || (f.dangling && !dangling) || firstContainer(d, (c) => c.image.id === first.id))
    return false;
  const labels = first.config.config?.Labels ?? null;
  if (!f.labels.every((l) => matchesLabel(labels, l)) || f.notLabels.some((l) => matchesLabel(labels, l)))
    return false;
  const created = Date.parse(first.config.created ?? '');
  // No date is Go's zero time, before any `until`.
  return f.until === undefined || Number.isNaN(created) || created < f.until;
}

export function* imagePrune(d: Daemon, req: Message): OperationProgram {
  const filters = pruneFilters(apiRequest(req).query, d.ports.clock.now());
  if ('error' in filters) return d.error(req, filters.code, filters.error);
  let all = yield* listImages(d);
  const ids = [...new Set(all.map((r) => r.id))].sort();
  const deleted: JsonObject[] = [];
  let reclaimed = 0;
  for (const id of ids) {
    const found = findRecords(all, id);
    if (found === undefined || !chosen(d, filters, found.records)) continue;
    const sizes = new Map(found.records[0]?.layers.map((l) => [l.chainId, l.uncompressedSize]) ?? []);
    for (const record of [...found.records].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      // Gone already: a digest name removed with its repository's last tag.
      if (!all.includes(record)) continue;
      const rm = new Removal(d, {
        ...found,
        named: record,
        records: found.records.filter((r) => all.includes(r)),
      });
      const conflict = yield* removeByName(d, rm, record, false);
      if (conflict !== undefined) break;
      all = all.filter((r) => !rm.removed.includes(r.name));
      deleted.push(...rm.out);
      for (const chainId of new Set(rm.collected)) reclaimed += sizes.get(chainId) ?? 0;
    }
  }
  d.emit('image', 'prune', '', { reclaimed: String(reclaimed) });
  d.reply(
    req,
    200,
    { ImagesDeleted: deleted.length === 0 ? null : deleted, SpaceReclaimed: reclaimed },
    { params: { count: deleted.length } },
  );
}
