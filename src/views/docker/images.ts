/**
 * `docker images` as docker/cli 28 prints it by default: the classic table (the tree view is
 * behind the experimental `--tree` flag in 28.x).
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/list.go
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/formatter/image.go
 */
import { familiarName, parseNormalizedNamed } from './reference.ts';
import { tabwrite } from './tabwriter.ts';
import { truncateId } from './text.ts';
import { humanDuration, humanSize } from './units.ts';

/** An element of `GET /images/json` (Engine API 1.44 `ImageSummary`). */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  /** Unix seconds. */
  Created: number;
  Size: number;
  /** -1 unless computed. */
  SharedSize: number;
  Labels: Record<string, string>;
  /** -1 unless computed. */
  Containers: number;
}

export interface ImagesOptions {
  quiet: boolean;
  noTrunc: boolean;
  digests: boolean;
}

interface ImageRow {
  image: ImageSummary;
  repo: string;
  tag: string;
  digest: string;
}

function isDangling(img: ImageSummary): boolean {
  if (img.RepoTags.length === 0 && img.RepoDigests.length === 0) return true;
  return (
    img.RepoTags.length === 1 &&
    img.RepoTags[0] === '<none>:<none>' &&
    img.RepoDigests.length === 1 &&
    img.RepoDigests[0] === '<none>@<none>'
  );
}

/** Group references by familiar repository name, keeping first-seen order. */
function groupRefs(refs: string[], pick: 'tag' | 'digest'): Map<string, string[]> {
  const byRepo = new Map<string, string[]>();
  for (const s of refs) {
    const ref = parseNormalizedNamed(s);
    const value = ref?.[pick];
    // Unparsable ("<none>:<none>") or lacking the part we want: skipped, as the CLI does.
    if (!ref || value === undefined) continue;
    const name = familiarName(ref);
    byRepo.set(name, [...(byRepo.get(name) ?? []), value]);
  }
  return byRepo;
}

/**
 * `imageFormatTaggedAndDigest`: one row per repo:tag (times each digest of that repo with
 * --digests), then one row per repository known only by digest, with TAG <none>.
 *
 * Go iterates maps here, so with several repositories the CLI's row order is random; we keep
 * the order of RepoTags/RepoDigests, which is what a single-repository image always shows.
 */
function taggedRows(img: ImageSummary, digests: boolean): ImageRow[] {
  const repoTags = groupRefs(img.RepoTags, 'tag');
  const repoDigests = groupRefs(img.RepoDigests, 'digest');
  const rows: ImageRow[] = [];
  const add = (repo: string, tag: string, digest: string): void => {
    rows.push({ image: img, repo, tag, digest });
  };
  for (const [repo, tags] of repoTags) {
    const repoDigestList = digests ? (repoDigests.get(repo) ?? []) : [];
    repoDigests.delete(repo);
    for (const tag of tags) {
      if (repoDigestList.length === 0) add(repo, tag, '<none>');
      for (const d of repoDigestList) add(repo, tag, d);
    }
  }
  for (const [repo, list] of repoDigests) {
    if (digests) for (const d of list) add(repo, '<none>', d);
    else add(repo, '<none>', '');
  }
  return rows;
}

function imageRows(images: ImageSummary[], digests: boolean): ImageRow[] {
  return images.flatMap((img) =>
    isDangling(img)
      ? [{ image: img, repo: '<none>', tag: '<none>', digest: '<none>' }]
      : taggedRows(img, digests),
  );
}

/**
 * `docker images` stdout. `-q` prints one ID per row, so an image with two tags prints its ID
 * twice, exactly as docker does.
 */
export function formatImages(images: ImageSummary[], opts: ImagesOptions, nowSec: number): string {
  const rows = imageRows(images, opts.digests);
  const id = (img: ImageSummary): string => (opts.noTrunc ? img.Id : truncateId(img.Id));
  if (opts.quiet) return rows.map((r) => id(r.image) + '\n').join('');
  const header = opts.digests
    ? ['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE']
    : ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];
  const body = rows.map((r) => {
    const created = `${humanDuration((nowSec - r.image.Created) * 1000)} ago`;
    const size = humanSize(r.image.Size);
    return opts.digests
      ? [r.repo, r.tag, r.digest, id(r.image), created, size]
      : [r.repo, r.tag, id(r.image), created, size];
  });
  return tabwrite([header, ...body]);
}
