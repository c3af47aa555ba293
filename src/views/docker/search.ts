import type { JsonObject } from '../../model/json.ts';
import { ellipsis } from './text.ts';

/**
 * `docker search`'s columns (docker/cli v28.2.2 cli/command/registry/formatter_search.go):
 * the description on one line, cut at 45 columns unless --no-trunc; `[OK]` for an official image.
 */
export const SEARCH_FORMAT = 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}';

export const SEARCH_HEADERS: Record<string, string> = {
  Name: 'NAME',
  Description: 'DESCRIPTION',
  StarCount: 'STARS',
  IsOfficial: 'OFFICIAL',
  IsAutomated: 'AUTOMATED',
};

/** One index result (registry.SearchResult) as the template sees it. */
export function searchContext(r: JsonObject, noTrunc: boolean): JsonObject {
  const description = String(r.description ?? '').replace(/[\r\n]/g, ' ');
  return {
    Name: String(r.name ?? ''),
    Description: noTrunc ? description : ellipsis(description, 45),
    StarCount: String(r.star_count ?? 0),
    IsOfficial: r.is_official === true ? '[OK]' : '',
    IsAutomated: r.is_automated === true ? '[OK]' : '',
  };
}
