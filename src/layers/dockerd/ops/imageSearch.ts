import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { registryAnswer } from '../../catalogue.ts';
import { apiRequest, asMessage } from './request.ts';

type SearchResult = {
  name: string;
  description: string;
  star_count: number;
  is_official: boolean;
  is_automated: boolean;
};

/** `registry.example:5000/name` asks that registry's index; anything else Docker Hub's. */
function splitTerm(term: string): { host: string; query: string } {
  const slash = term.indexOf('/');
  const first = slash < 0 ? '' : term.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost')
    return { host: first, query: term.slice(slash + 1) };
  return { host: 'index.docker.io', query: term };
}

/** The filters dockerd applies to the index's answer (is-official, is-automated, stars). */
function keep(filters: Record<string, Record<string, boolean>>, r: SearchResult): boolean {
  const official = Object.keys(filters['is-official'] ?? {})[0];
  const automated = Object.keys(filters['is-automated'] ?? {})[0];
  const stars = Object.keys(filters.stars ?? {}).map(Number);
  if (official !== undefined && String(r.is_official) !== official) return false;
  if (automated !== undefined && String(r.is_automated) !== automated) return false;
  return stars.every((n) => r.star_count >= n);
}

/**
 * `GET /images/search?term=&limit=&filters=` (moby v20.10.24 daemon/images/image_search.go,
 * registry/service.go Search, registry/session.go searchRepositories): dockerd asks the index
 * named by the term — Docker Hub's v1 search API unless the term starts with a registry — for at
 * most `limit` results (25 by default, 1 to 100), filters them and answers. No event. In the
 * simulation the index is the simulated catalogue's (src/sim/registrySearch.ts): no search ever
 * reaches the real Docker Hub. Engine 29 searches the same way (moby docker-v29.0.0
 * daemon/server/router/image, registry/search.go). Recorded: w-search-prune.txt.
 */
export function* imageSearch(d: Daemon, req: Message): OperationProgram {
  const { query } = apiRequest(req);
  const limit = query.limit === undefined ? 25 : Number(query.limit);
  if (!(limit >= 1 && limit <= 100))
    return d.error(req, 400, `Limit ${limit} is outside the range of [1, 100]`);
  const filters = JSON.parse(query.filters ?? '{}') as Record<string, Record<string, boolean>>;
  const { host, query: q } = splitTerm(query.term ?? '');
  const path = `/v1/search?q=${encodeURIComponent(q)}&n=${limit}`;
  const scheme = host === 'index.docker.io' ? 'https' : 'http';
  const got = registryAnswer(
    asMessage(
      yield d.call('Registry', 'registry.get', `GET ${scheme}://${host}${path}`, {
        payload: { method: 'GET', host, path, headers: {} },
        narration: 'registry.search',
        params: { term: q },
      }),
    ),
  );
  if (got.error !== undefined) return d.error(req, 500, got.error);
  if (got.status !== 200) return d.error(req, 500, `Unexpected status code ${got.status}`);
  const body = JSON.parse(got.body ?? '{}') as JsonObject;
  const results = ((body.results ?? []) as unknown as SearchResult[]).filter((r) => keep(filters, r));
  d.reply(req, 200, results, { params: { count: results.length } });
}
