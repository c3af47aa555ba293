/**
 * `docker history` as docker/cli 28 prints it.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/history.go
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/formatter_history.go
 *
 * The CLI does nothing special with "/bin/sh -c #(nop) ": CREATED BY is the daemon's text with
 * tabs turned into spaces, cut to 45 columns. The "<missing>" IDs also come from the daemon
 * (layers that are not images of their own) and pass through TruncateID unchanged.
 */
import { formatGoTimeRfc3339 } from './gotime.ts';
import { tabwrite } from './tabwriter.ts';
import { ellipsis, truncateId } from './text.ts';
import { humanDuration, humanSize } from './units.ts';

/** An element of `GET /images/{name}/history` (Engine API `HistoryResponseItem`). */
export interface HistoryItem {
  /** "sha256:…" for the image itself, "<missing>" for the layers under it. */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export interface HistoryOptions {
  noTrunc: boolean;
  quiet: boolean;
  /** -H / --human, true by default. */
  human: boolean;
}

/** 2000-01-01T00:00:00Z: older (or zero) creation times print "N/A". */
const HISTORY_EPOCH_SEC = 946684800;

function createdSince(item: HistoryItem, human: boolean, nowSec: number): string {
  if (!human) return formatGoTimeRfc3339(item.Created);
  if (item.Created <= HISTORY_EPOCH_SEC) return 'N/A';
  return `${humanDuration((nowSec - item.Created) * 1000)} ago`;
}

/** CREATED BY: tabs become spaces; 45 columns with "…" unless --no-trunc. */
export function historyCreatedBy(createdBy: string, trunc: boolean): string {
  const text = createdBy.replaceAll('\t', ' ');
  return trunc ? ellipsis(text, 45) : text;
}

/**
 * `docker history` stdout. `--human=false` switches CREATED to "CREATED AT" (RFC 3339, in the
 * client's time zone — UTC here) and SIZE to plain bytes.
 */
export function formatHistory(items: HistoryItem[], opts: HistoryOptions, nowSec: number): string {
  const trunc = !opts.noTrunc;
  const id = (item: HistoryItem): string => (trunc ? truncateId(item.Id) : item.Id);
  if (opts.quiet) return items.map((item) => id(item) + '\n').join('');
  const header = ['IMAGE', opts.human ? 'CREATED' : 'CREATED AT', 'CREATED BY', 'SIZE', 'COMMENT'];
  const rows = items.map((item) => [
    id(item),
    createdSince(item, opts.human, nowSec),
    historyCreatedBy(item.CreatedBy, trunc),
    opts.human ? humanSize(item.Size) : `${item.Size}`,
    item.Comment,
  ]);
  return tabwrite([header, ...rows]);
}
