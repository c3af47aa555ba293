import { describe, expect, it } from 'vitest';
import {
  bytesSize,
  goFormatG,
  humanDuration,
  humanSize,
  humanSize4,
} from '../../../src/views/docker/index.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const DAY = 24 * H;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

describe('humanDuration (go-units v0.5.0 HumanDuration)', () => {
  // The vectors of go-units' duration_test.go, plus the boundaries between them.
  it.each([
    [-5 * S, 'Less than a second'],
    [0, 'Less than a second'],
    [450, 'Less than a second'],
    [999, 'Less than a second'],
    [1 * S, '1 second'],
    [1999, '1 second'],
    [2 * S, '2 seconds'],
    [45 * S, '45 seconds'],
    [59 * S + 999, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [120 * S, '2 minutes'],
    [35 * M + 40 * S, '35 minutes'],
    [59 * M + 59 * S, '59 minutes'],
    [1 * H, 'About an hour'],
    [1 * H + 29 * M, 'About an hour'],
    [1 * H + 30 * M - 1, 'About an hour'],
    [1 * H + 30 * M, '2 hours'],
    [1 * H + 31 * M, '2 hours'],
    [3 * H + 29 * M, '3 hours'],
    [3 * H + 31 * M, '4 hours'],
    [24 * H, '24 hours'],
    [DAY + 12 * H, '36 hours'],
    [47 * H + 29 * M, '47 hours'],
    [47 * H + 30 * M, '2 days'],
    [2 * DAY, '2 days'],
    [13 * DAY + 5 * H, '13 days'],
    [2 * WEEK, '2 weeks'],
    [2 * WEEK + 4 * DAY, '2 weeks'],
    [4 * WEEK + 3 * DAY, '4 weeks'],
    [1 * MONTH, '4 weeks'],
    [MONTH + 2 * WEEK, '6 weeks'],
    [2 * MONTH, '2 months'],
    [5 * MONTH + 2 * WEEK, '5 months'],
    [24 * MONTH, '24 months'],
    [24 * MONTH + 2 * WEEK, '2 years'],
    [3 * YEAR + 2 * MONTH, '3 years'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('humanSize (HumanSizeWithPrecision(size, 3), Go %.3g)', () => {
  it.each([
    [0, '0B'],
    [1, '1B'],
    [999, '999B'],
    [1000, '1kB'],
    [1024, '1.02kB'],
    // An exact tie (1.125) rounds to even in Go; toPrecision would say 1.13.
    [1125, '1.12kB'],
    [1135, '1.14kB'], // 1.135 is 1.13500000000000000888… as a double
    [10_000, '10kB'],
    [999_499, '999kB'],
    // 999.5 rounds to 1.00e+03 at three digits, and %g then switches to exponent form.
    [999_500, '1e+03kB'],
    [999_999, '1e+03kB'],
    [1_000_000, '1MB'],
    [4_270_000, '4.27MB'],
    [4_274_999, '4.27MB'],
    [4_275_001, '4.28MB'],
    [74_800_000, '74.8MB'],
    [112_000_000, '112MB'],
    [192_000_000, '192MB'],
    [1_500_000_000, '1.5GB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });

  it('HumanSize (precision 4) matches go-units size_test.go', () => {
    expect(humanSize4(1000)).toBe('1kB');
    expect(humanSize4(1024)).toBe('1.024kB');
    expect(humanSize4(1048576)).toBe('1.049MB');
    expect(humanSize4(3.42e9)).toBe('3.42GB');
    expect(humanSize4(5.372e12)).toBe('5.372TB');
    expect(humanSize4(2.22e15)).toBe('2.22PB');
    expect(humanSize4(10_000_000_000_000 * 1e15)).toBe('1e+04YB');
  });
});

describe('bytesSize (BytesSize, binary %.4g)', () => {
  it.each([
    [0, '0B'],
    [1023, '1023B'],
    [1024, '1KiB'],
    [2000, '1.953KiB'],
    [8 * 1024 * 1024, '8MiB'],
    [3.42 * 1024 ** 3, '3.42GiB'],
    [5.372 * 1024 ** 4, '5.372TiB'],
    [2.22 * 1024 ** 5, '2.22PiB'],
    [1024 ** 5 * 1024 ** 5, '1.049e+06YiB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(bytesSize(bytes)).toBe(text);
  });
});

describe('goFormatG', () => {
  it.each([
    [0.5, 3, '0.5'],
    [0.0001234, 3, '0.000123'],
    [0.00001234, 3, '1.23e-05'],
    [123456, 3, '1.23e+05'],
    [100, 3, '100'],
    [2.5, 1, '2'],
    [3.5, 1, '4'],
    [-1.5, 2, '-1.5'],
  ])('%%.%2$dg of %1$d → %3$s', (x, prec, text) => {
    expect(goFormatG(x, prec)).toBe(text);
  });
});
