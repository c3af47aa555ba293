/**
 * `docker images` (the classic table of docker/cli 28) from `GET /images/json`: one row per
 * repository:tag, then per repository known only by digest, dangling images as <none> <none>.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/formatter/image.go
 *
 * The row rules are the core's (src/views/docker/images.ts); this copy adds what a real daemon
 * shows and the simulation never does: an image whose config has no `created` is reported with
 * Go's zero time (-62135596800), and CreatedSince prints "N/A" for it (`createdAt.IsZero()`).
 */
import { familiarName, parseNormalizedNamed } from '../../../src/views/docker/reference.ts';
import { tabwrite } from '../../../src/views/docker/tabwriter.ts';
import { truncateId } from '../../../src/views/docker/text.ts';
import { humanDuration, humanSize } from '../../../src/views/docker/units.ts';
import type { ImageSummary, ImagesOptions } from '../../../src/views/docker/images.ts';

/** time.Time{}.Unix(): January 1, year 1, UTC. */
export const GO_ZERO_TIME_UNIX = -62135596800;

/** units.HumanDuration(now - created) + " ago", or "N/A" for the zero time. */
export function createdSince(created: number, nowSec: number): string {
  if (created === GO_ZERO_TIME_UNIX) return 'N/A';
  return `${humanDuration((nowSec - created) * 1000)} ago`;
}

interface Row {
  image: ImageSummary;
  repo: string;
  tag: string;
  digest: string;
}

function grouped(refs: readonly string[] | null, pick: 'tag' | 'digest'): Map<string, string[]> {
  const byRepo = new Map<string, string[]>();
  for (const s of refs ?? []) {
    const ref = parseNormalizedNamed(s);
    const value = ref?.[pick];
    if (ref === undefined || value === undefined) continue;
    const name = familiarName(ref);
    byRepo.set(name, [...(byRepo.get(name) ?? []), value]);
  }
  return byRepo;
}

function rowsOf(img: ImageSummary, digests: boolean): Row[] {
  const tags = img.RepoTags ?? [];
  const repoDigests = img.RepoDigests ?? [];
  const dangling =
    (tags.length === 0 && repoDigests.length === 0) ||
    (tags.length === 1 &&
      tags[0] === '<none>:<none>' &&
      repoDigests.length === 1 &&
      repoDigests[0] === '<none>@<none>');
  if (dangling) return [{ image: img, repo: '<none>', tag: '<none>', digest: '<none>' }];
  const byTag = grouped(tags, 'tag');
  const byDigest = grouped(repoDigests, 'digest');
  const rows: Row[] = [];
  for (const [repo, repoTags] of byTag) {
    const list = digests ? (byDigest.get(repo) ?? []) : [];
    byDigest.delete(repo);
    for (const tag of repoTags) {
      if (list.length === 0) rows.push({ image: img, repo, tag, digest: '<none>' });
      for (const d of list) rows.push({ image: img, repo, tag, digest: d });
    }
  }
  for (const [repo, list] of byDigest) {
    if (digests) for (const d of list) rows.push({ image: img, repo, tag: '<none>', digest: d });
    else rows.push({ image: img, repo, tag: '<none>', digest: '' });
  }
  return rows;
}

/** The table (or one ID per row with -q), ending with a newline after every row. */
export function formatImageTable(
  images: readonly ImageSummary[],
  opts: ImagesOptions,
  nowSec: number,
): string {
  const rows = images.flatMap((img) => rowsOf(img, opts.digests));
  const id = (img: ImageSummary): string => (opts.noTrunc ? img.Id : truncateId(img.Id));
  if (opts.quiet) return rows.map((r) => `${id(r.image)}\n`).join('');
  const header = ['REPOSITORY', 'TAG', ...(opts.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
  const body = rows.map((r) => [
    r.repo,
    r.tag,
    ...(opts.digests ? [r.digest] : []),
    id(r.image),
    createdSince(r.image.Created, nowSec),
    humanSize(r.image.Size),
  ]);
  return tabwrite([header, ...body]);
}
