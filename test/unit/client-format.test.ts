// The client's tables and durations against docker CLI 28.2.2's own output: the core's captures
// (views-docker/cliCaptures.ts) and one taken from Debian's dockerd 20.10 for an image whose
// config has no `created` (Go's zero time, printed "N/A").
import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../src/views/docker/images.ts';
import { createdSince, formatImageTable, GO_ZERO_TIME_UNIX } from '../../engine/client/render/images.ts';
import { CLI, FX2, NOW_SEC } from './views-docker/cliCaptures.ts';

const images = FX2.images as ImageSummary[];
const table = { quiet: false, noTrunc: false, digests: false };

/** `GET /v1.41/images/json` from dockerd 20.10.24 after `docker pull` of the test busybox. */
const ZERO_CREATED: ImageSummary[] = [
  {
    Containers: -1,
    Created: -62135596800,
    Id: 'sha256:43050e716d4a1c13b0be5bfbe7dd7d8a140ca9103f878cf0e895a4b03c4f362d',
    Labels: {},
    ParentId: '',
    RepoDigests: [
      '127.0.0.1:39403/library/busybox@sha256:3f0dbfe7311e5b350510568d38539b8dc6d4a6a6f7b2ede520b9a87b9e138062',
    ],
    RepoTags: ['127.0.0.1:39403/library/busybox:v1'],
    SharedSize: -1,
    Size: 1982413,
  },
];
/** What docker CLI 28.2.2 printed for it (`docker images`, `docker images --digests`). */
const ZERO_TABLE = [
  'REPOSITORY                        TAG       IMAGE ID       CREATED   SIZE',
  '127.0.0.1:39403/library/busybox   v1        43050e716d4a   N/A       1.98MB',
  '',
].join('\n');
const ZERO_DIGESTS = [
  'REPOSITORY                        TAG       DIGEST                                                                    IMAGE ID       CREATED   SIZE',
  '127.0.0.1:39403/library/busybox   v1        sha256:3f0dbfe7311e5b350510568d38539b8dc6d4a6a6f7b2ede520b9a87b9e138062   43050e716d4a   N/A       1.98MB',
  '',
].join('\n');

describe('client images table', () => {
  it('prints what docker printed: rows per tag, digest-only and dangling rows, widths', () => {
    expect(formatImageTable(images, table, NOW_SEC)).toBe(CLI.images.stdout);
    expect(formatImageTable(images, { ...table, digests: true }, NOW_SEC)).toBe(CLI.imagesd.stdout);
    expect(formatImageTable(images, { ...table, quiet: true }, NOW_SEC)).toBe(CLI.imagesq.stdout);
  });

  it('prints N/A for a zero creation time, as docker does with a real dockerd', () => {
    expect(formatImageTable(ZERO_CREATED, table, NOW_SEC)).toBe(ZERO_TABLE);
    expect(formatImageTable(ZERO_CREATED, { ...table, digests: true }, NOW_SEC)).toBe(ZERO_DIGESTS);
  });

  it('accepts null tag lists (older daemons send null for untagged images)', () => {
    const img = { ...images[0], RepoTags: null, RepoDigests: null } as unknown as ImageSummary;
    expect(formatImageTable([img], table, NOW_SEC)).toMatch(
      /^<none> +<none> +aaaabbbbcccc +5 days ago +192MB$/m,
    );
  });
});

describe('client CREATED column (go-units HumanDuration + " ago")', () => {
  const ago = (seconds: number): string => createdSince(NOW_SEC - seconds, NOW_SEC);
  it.each([
    [0, 'Less than a second ago'],
    [1, '1 second ago'],
    [59, '59 seconds ago'],
    [60, 'About a minute ago'],
    [119, 'About a minute ago'],
    [120, '2 minutes ago'],
    [59 * 60 + 59, '59 minutes ago'],
    [60 * 60, 'About an hour ago'],
    [89 * 60 + 59, 'About an hour ago'],
    [90 * 60, '2 hours ago'],
    [47 * 3600, '47 hours ago'],
    [48 * 3600, '2 days ago'],
    [14 * 86400, '2 weeks ago'],
    [60 * 86400, '2 months ago'],
    [730 * 86400, '2 years ago'],
  ])('%i seconds → %s', (seconds, text) => {
    expect(ago(seconds)).toBe(text);
  });

  it('is N/A only for the zero time', () => {
    expect(createdSince(GO_ZERO_TIME_UNIX, NOW_SEC)).toBe('N/A');
    expect(createdSince(0, NOW_SEC)).toMatch(/years ago$/);
  });
});
