import { describe, expect, it } from 'vitest';
import {
  formatHistory,
  formatImages,
  type HistoryItem,
  type ImageSummary,
} from '../../../src/views/docker/index.ts';
import { CLI, FX2, NOW_SEC } from './cliCaptures.ts';

const images = FX2.images as ImageSummary[];
const history = FX2.history as HistoryItem[];

describe('formatImages: byte for byte what docker CLI 28.2.2 printed', () => {
  it('default table: a row per repo:tag, digest-only repos with <none>, dangling <none> <none>', () => {
    expect(formatImages(images, { quiet: false, noTrunc: false, digests: false }, NOW_SEC)).toBe(
      CLI.images.stdout,
    );
  });

  it('--digests: a DIGEST column, one row per tag and digest of its repository', () => {
    expect(formatImages(images, { quiet: false, noTrunc: false, digests: true }, NOW_SEC)).toBe(
      CLI.imagesd.stdout,
    );
  });

  it('-q: one ID per row, so a multi-tagged image repeats', () => {
    expect(formatImages(images, { quiet: true, noTrunc: false, digests: false }, NOW_SEC)).toBe(
      CLI.imagesq.stdout,
    );
  });

  it('spells out the sizes and the <none> rows', () => {
    expect(CLI.images.stdout).toBe(
      [
        'REPOSITORY                TAG       IMAGE ID       CREATED                  SIZE',
        'nginx                     latest    aaaabbbbcccc   5 days ago               192MB',
        'nginx                     1.27      aaaabbbbcccc   5 days ago               192MB',
        'myreg.io:5000/web/nginx   prod      aaaabbbbcccc   5 days ago               192MB',
        'busybox                   <none>    bbbbccccdddd   8 weeks ago              4.27MB',
        '<none>                    <none>    ccccddddeeee   3 years ago              999B',
        '<none>                    <none>    ddddeeeeffff   50 minutes ago           1e+03kB',
        'app                       v1        eeeeffff0000   2 hours ago              1.12kB',
        'tiny                      1         ffff00001111   Less than a second ago   0B',
        'big                       1         000011112222   2 years ago              1kB',
        '',
      ].join('\n'),
    );
  });

  it('--no-trunc keeps sha256: ids (rows of one repository keep RepoTags order)', () => {
    const one = images.slice(4, 5);
    expect(formatImages(one, { quiet: false, noTrunc: true, digests: false }, NOW_SEC)).toBe(
      'REPOSITORY   TAG       IMAGE ID                                                                  CREATED       SIZE\n' +
        'app          v1        sha256:eeeeffff00001111222233334444555566667777888899990000111122223333   2 hours ago   1.12kB\n',
    );
  });

  it('an empty list is the header alone', () => {
    expect(formatImages([], { quiet: false, noTrunc: false, digests: false }, NOW_SEC)).toBe(
      'REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n',
    );
  });
});

describe('formatHistory: byte for byte what docker CLI 28.2.2 printed', () => {
  it('default: <missing> ids, CREATED BY cut to 45 columns, no "#(nop)" rewriting, N/A before 2000', () => {
    expect(formatHistory(history, { noTrunc: false, quiet: false, human: true }, NOW_SEC)).toBe(
      CLI.hist.stdout,
    );
    expect(CLI.hist.stdout.split('\n')[1]).toBe(
      'aaaabbbbcccc   About an hour ago   /bin/sh -c #(nop)  CMD ["nginx" "-g" "daemon…   0B        ',
    );
  });

  it('--no-trunc: full text, tabs still turned into spaces', () => {
    expect(formatHistory(history, { noTrunc: true, quiet: false, human: true }, NOW_SEC)).toBe(
      CLI.histnt.stdout,
    );
  });

  it('-q', () => {
    expect(formatHistory(history, { noTrunc: false, quiet: true, human: true }, NOW_SEC)).toBe(
      CLI.histq.stdout,
    );
  });

  it('-H=false: CREATED AT in RFC 3339 and sizes in bytes', () => {
    expect(formatHistory(history.slice(2), { noTrunc: false, quiet: false, human: false }, NOW_SEC)).toBe(
      [
        'IMAGE       CREATED AT             CREATED BY                                      SIZE       COMMENT',
        '<missing>   2026-01-01T07:30:00Z   ENV NGINX_VERSION=1.27.0                        0          buildkit.dockerfile.v0',
        '<missing>   1970-01-01T00:00:00Z   /bin/sh -c #(nop) ADD file:a1b2c3d4e5f6a7b8c…   74800000   ',
        '<missing>   2000-01-01T00:00:01Z                                                   1125       imported from -',
        '',
      ].join('\n'),
    );
  });
});
