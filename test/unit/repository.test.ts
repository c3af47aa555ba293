// The repository's own text files: no merge left half done. A conflict marker in the README or a
// lesson reaches every reader; nothing else would catch it (a .md file is neither compiled nor linted).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const TEXT = /\.(md|ts|js|mjs|json|ya?ml|html|css|sh)$/;

describe('the repository', () => {
  it('has no merge conflict markers in its tracked text files', () => {
    const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => TEXT.test(f) && existsSync(f));
    const marked = files.filter((f) => /^(<{7}|>{7}) |^={7}$/m.test(readFileSync(f, 'utf8')));
    expect(marked).toEqual([]);
  });
});
