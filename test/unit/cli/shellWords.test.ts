import { describe, expect, it } from 'vitest';
import { CliSyntaxError, splitShellWords } from '../../../src/cli/index.ts';

describe('splitShellWords', () => {
  it('splits on blanks and drops empty words', () => {
    expect(splitShellWords('  docker   ps\t-a \n')).toEqual(['docker', 'ps', '-a']);
  });

  it('keeps single-quoted text literally, double quotes and $ included', () => {
    expect(splitShellWords(`sh -c 'trap "exit 0" TERM; while true; do sleep 1; done'`)).toEqual([
      'sh',
      '-c',
      'trap "exit 0" TERM; while true; do sleep 1; done',
    ]);
    expect(splitShellWords(`sh -c 'x=a; while true; do x=$x$x; done'`)).toEqual([
      'sh',
      '-c',
      'x=a; while true; do x=$x$x; done',
    ]);
    expect(splitShellWords(`'a\\b'`)).toEqual(['a\\b']);
  });

  it('lets backslash escape only \\ " $ ` and newline inside double quotes', () => {
    expect(splitShellWords(`"a\\"b" "c\\$d" "e\\\\f" "g\\nh" "i\\\`j"`)).toEqual([
      'a"b',
      'c$d',
      'e\\f',
      'g\\nh',
      'i`j',
    ]);
    expect(splitShellWords(`"it's"`)).toEqual(["it's"]);
    expect(splitShellWords('"a\\\nb"')).toEqual(['ab']);
  });

  it('does no expansion: the console is not a shell', () => {
    expect(splitShellWords('echo $HOME *.txt ~ `id` $(id) a|b;c')).toEqual([
      'echo',
      '$HOME',
      '*.txt',
      '~',
      '`id`',
      '$(id)',
      'a|b;c',
    ]);
  });
});

describe('splitShellWords: escapes, joining, comments, errors', () => {
  it('escapes one character with a backslash outside quotes, and joins lines', () => {
    expect(splitShellWords('a\\ b c\\"d \\\'e')).toEqual(['a b', 'c"d', "'e"]);
    expect(splitShellWords('docker \\\nps')).toEqual(['docker', 'ps']);
    expect(splitShellWords('end\\')).toEqual(['end\\']);
  });

  it('joins adjacent quoted and unquoted parts into one word, and keeps empty quoted words', () => {
    expect(splitShellWords(`-e"A=1"' 2'x`)).toEqual(['-eA=1 2x']);
    expect(splitShellWords(`a '' ""`)).toEqual(['a', '', '']);
  });

  it('starts a comment with # at the start of a word only', () => {
    expect(splitShellWords('docker ps # list them')).toEqual(['docker', 'ps']);
    expect(splitShellWords('echo a#b "#c"')).toEqual(['echo', 'a#b', '#c']);
    expect(splitShellWords('# all comment')).toEqual([]);
  });

  it('throws a CliSyntaxError naming the unterminated quote and its column', () => {
    expect(() => splitShellWords("echo 'abc")).toThrow(CliSyntaxError);
    expect(() => splitShellWords("echo 'abc")).toThrow(
      "unterminated single quote: the ' at column 6 is never closed",
    );
    expect(() => splitShellWords('a "b\\"')).toThrow(
      'unterminated double quote: the " at column 3 is never closed',
    );
    try {
      splitShellWords('"');
    } catch (error) {
      expect(error).toMatchObject({
        stderr: 'dockstep: unterminated double quote: the " at column 1 is never closed\n',
        exitCode: 2,
      });
    }
  });
});
