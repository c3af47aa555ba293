import { describe, expect, it } from 'vitest';
import {
  ellipsis,
  familiarString,
  fullString,
  parseNormalizedNamed,
  tabwrite,
  tabwriteText,
  truncateId,
} from '../../../src/views/docker/index.ts';

describe('tabwrite (docker/cli tabwriter, minwidth 10, padding 3)', () => {
  it('pads every column but the last to max(10, widest + 3)', () => {
    expect(tabwrite([['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']])).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
  });

  it('pads empty cells and never pads the last column', () => {
    expect(
      tabwrite([
        ['A', '', 'LAST'],
        ['a-much-longer-cell', 'x', ''],
      ]),
    ).toBe(
      'A' + ' '.repeat(20) + ' '.repeat(10) + 'LAST\n' + 'a-much-longer-cell   x' + ' '.repeat(9) + '\n',
    );
  });

  it('counts East Asian wide characters as two columns', () => {
    expect(
      tabwrite([
        ['你好', 'x'],
        ['ab', 'y'],
      ]),
    ).toBe('你好      x\nab        y\n');
  });

  it('sizes a column per block of consecutive lines that have it', () => {
    // The middle line has fewer cells, so it ends the block for column 1.
    expect(tabwriteText('a\tbbbbbbbbbbbbbbbb\tc\nd\te\nf\tg\th\n')).toBe(
      'a         bbbbbbbbbbbbbbbb   c\n' + 'd         e\n' + 'f         g         h\n',
    );
  });

  it('flushes at a line without tabs, so columns restart after it', () => {
    expect(tabwriteText('aaaaaaaaaaaaaa\tb\nheader only\nc\td\n')).toBe(
      'aaaaaaaaaaaaaa   b\nheader only\nc         d\n',
    );
  });

  it('leaves text after the last newline unterminated', () => {
    expect(tabwriteText('a\tb\nc\td')).toBe('a         b\nc         d');
  });
});

describe('ellipsis (formatter.Ellipsis)', () => {
  // docker/cli displayutils_test.go
  it.each([
    ['t🐳ststring', 0, ''],
    ['t🐳ststring', 1, 't'],
    ['t🐳ststring', 2, 't…'],
    ['t🐳ststring', 6, 't🐳st…'],
    ['t🐳ststring', 20, 't🐳ststring'],
    ['你好世界teststring', 0, ''],
    ['你好世界teststring', 1, '你'],
    ['你好世界teststring', 3, '你…'],
    ['你好世界teststring', 6, '你好…'],
    ['你好世界teststring', 20, '你好世界teststring'],
    ['12345678901234567890', 20, '12345678901234567890'],
    ['123456789012345678901', 20, '1234567890123456789…'],
  ])('%s at %d → %s', (s, width, out) => {
    expect(ellipsis(s, width)).toBe(out);
  });
});

describe('truncateId', () => {
  it('drops the algorithm and keeps 12 characters', () => {
    expect(truncateId('sha256:aaaabbbbccccddddeeeeffff')).toBe('aaaabbbbcccc');
    expect(truncateId('3b2f4c5d6e7f8091a2b3')).toBe('3b2f4c5d6e7f');
    expect(truncateId('<missing>')).toBe('<missing>');
  });
});

describe('parseNormalizedNamed (distribution/reference)', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx', 'nginx'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx:1.27'],
    ['user/app', 'docker.io/user/app', 'user/app'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox', 'busybox'],
    ['localhost/app', 'localhost/app', 'localhost/app'],
    ['localhost:5000/team/app:v1', 'localhost:5000/team/app:v1', 'localhost:5000/team/app:v1'],
    ['MyReg.io/x', 'MyReg.io/x', 'MyReg.io/x'],
    ['[::1]:5000/app', '[::1]:5000/app', '[::1]:5000/app'],
  ])('%s', (input, full, familiar) => {
    const ref = parseNormalizedNamed(input);
    expect(ref && fullString(ref)).toBe(full);
    expect(ref && familiarString(ref)).toBe(familiar);
  });

  it.each(['Nginx', 'nginx:-bad', '<none>:<none>', 'a'.repeat(64), 'app/UPPER', ''])(
    'rejects %s',
    (input) => {
      expect(parseNormalizedNamed(input)).toBeUndefined();
    },
  );
});
