import { CliSyntaxError } from './errors.ts';

/**
 * Split a command line into words the way a POSIX shell does before it runs a program
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_02_02):
 * - single quotes keep everything literally, up to the next single quote;
 * - double quotes keep everything except `\` before `\`, `"`, `$`, `` ` `` and newline;
 * - a backslash outside quotes keeps the next character (backslash-newline joins lines);
 * - unquoted blanks separate words, and `#` at the start of a word begins a comment.
 *
 * The console is not a shell: there is no variable, command, tilde or glob expansion, and
 * `;`, `|`, `&`, `<`, `>` are ordinary characters. `$x` reaches docker as the two characters
 * `$x`, which is what the shell would pass inside single quotes, and what a learner typing
 * `sh -c '…'` means.
 *
 * Throws {@link CliSyntaxError} for an unterminated quote.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      [word, inWord] = ['', false];
      i += 1;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw unterminated('single', i);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const read = readDoubleQuoted(line, i);
      word += read.text;
      inWord = true;
      i = read.next;
    } else if (c === '\\') {
      const next = line.charAt(i + 1);
      // At the very end a lone backslash has nothing to escape: keep it, as bash does.
      if (next === '') word += '\\';
      else if (next !== '\n') word += next;
      inWord = inWord || next !== '\n';
      i += 2;
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The characters a backslash escapes inside double quotes (POSIX 2.2.3). */
const DOUBLE_QUOTE_ESCAPES = new Set(['\\', '"', '$', '`', '\n']);

function readDoubleQuoted(line: string, open: number): { text: string; next: number } {
  let text = '';
  let i = open + 1;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === '"') return { text, next: i + 1 };
    const next = line.charAt(i + 1);
    if (c === '\\' && DOUBLE_QUOTE_ESCAPES.has(next)) {
      if (next !== '\n') text += next;
      i += 2;
    } else {
      text += c;
      i += 1;
    }
  }
  throw unterminated('double', open);
}

function unterminated(kind: 'single' | 'double', index: number): CliSyntaxError {
  const mark = kind === 'single' ? "'" : '"';
  return new CliSyntaxError(`unterminated ${kind} quote: the ${mark} at column ${index + 1} is never closed`);
}
