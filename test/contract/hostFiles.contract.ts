import { expect } from 'vitest';
import type { HostFiles } from '../../src/ports/hostFiles.ts';
import { defineContract, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The host files' contract (src/ports/hostFiles.ts): what the docker CLI reads for a build
 * context, as a program with working directory `cwd` sees a directory tree — paths resolved as
 * Go's `filepath.Join` + `filepath.Clean` do, `stat` telling files from directories (lstat),
 * `read` giving a file's text byte for byte, `walk` every file under a directory, sorted
 * (docker/cli's build context walk, cli/command/image/build/context.go).
 *
 * The factory gets a tree (paths relative to its root, and their texts) and gives the host files
 * with the tree's root as working directory; `root` says where that is.
 */
export interface HostFilesFixture {
  files: HostFiles;
  /** The absolute path of the tree's root (the working directory). */
  root: string;
}

export type Tree = Readonly<Record<string, string>>;

export const TREE: Tree = {
  Dockerfile: 'FROM busybox\nCOPY . /app\n',
  '.dockerignore': '*.log\n',
  'app/main.sh': '#!/bin/sh\necho "héllo, wörld"\n',
  'app/lib/util.sh': 'util() { :; }\n',
  'app/empty.txt': '',
  'app.txt': 'a sibling whose name starts like a directory’s\n',
  'notes.log': 'ignored by the build, not by the host\n',
};

export function describeHostFilesContract<A extends HostFilesFixture>(
  name: string,
  factory: (tree: Tree) => Promise<A> | A,
  options?: ContractOptions<A>,
): void {
  const make: Factory<A> = () => factory(TREE);
  defineContract('HostFiles', name, make, options, (cases) => {
    cases.group('resolve', () => resolveCases(cases));
    cases.group('stat and read', () => readCases(cases));
    cases.group('walk', () => walkCases(cases));
  });
}

function resolveCases(cases: ContractCases<HostFilesFixture>): void {
  cases.it('cwd is the tree’s root, absolute', ({ files, root }) => {
    expect(files.cwd).toBe(root);
    expect(root.startsWith('/')).toBe(true);
  });

  cases.it('a relative path resolves against cwd, cleaned', ({ files, root }) => {
    expect(files.resolve('.')).toBe(root);
    expect(files.resolve('app')).toBe(`${root}/app`);
    expect(files.resolve('./app//lib/../main.sh')).toBe(`${root}/app/main.sh`);
    expect(files.resolve('app/')).toBe(`${root}/app`);
  });

  cases.it('an absolute path stays, cleaned; .. above / stays at /', ({ files }) => {
    expect(files.resolve('/etc//hosts')).toBe('/etc/hosts');
    expect(files.resolve('/a/b/../../../..')).toBe('/');
    expect(files.resolve('/')).toBe('/');
  });
}

function readCases(cases: ContractCases<HostFilesFixture>): void {
  cases.it('stat tells files from directories, and nothing from both', ({ files, root }) => {
    expect(files.stat('Dockerfile')).toBe('file');
    expect(files.stat(`${root}/app/lib/util.sh`)).toBe('file');
    expect(files.stat('app')).toBe('dir');
    expect(files.stat('app/lib')).toBe('dir');
    expect(files.stat('.')).toBe('dir');
    expect(files.stat('/')).toBe('dir');
    expect(files.stat('no-such-file')).toBeUndefined();
    expect(files.stat('app/main.sh/below-a-file')).toBeUndefined();
  });

  cases.it('read gives a file’s text byte for byte, empty files and dot files too', ({ files }) => {
    expect(files.read('Dockerfile')).toBe('FROM busybox\nCOPY . /app\n');
    expect(files.read('app/main.sh')).toBe('#!/bin/sh\necho "héllo, wörld"\n');
    expect(files.read('./app/lib/../empty.txt')).toBe('');
    expect(files.read('.dockerignore')).toBe('*.log\n');
  });

  cases.it('read of a directory or of nothing gives nothing', ({ files }) => {
    expect(files.read('app')).toBeUndefined();
    expect(files.read('.')).toBeUndefined();
    expect(files.read('no-such-file')).toBeUndefined();
  });
}

function walkCases(cases: ContractCases<HostFilesFixture>): void {
  cases.it('walk lists every file under a directory, relative to it and sorted', ({ files }) => {
    expect(files.walk('.')).toEqual([...Object.keys(TREE)].sort());
    expect(files.walk('app')).toEqual(['empty.txt', 'lib/util.sh', 'main.sh']);
    expect(files.walk('./app/lib/')).toEqual(['util.sh']);
  });

  cases.it('walk of a file or of nothing is empty', ({ files }) => {
    expect(files.walk('Dockerfile')).toEqual([]);
    expect(files.walk('no-such-dir')).toEqual([]);
  });

  cases.it('walk does not stray into a sibling that shares a prefix', ({ files }) => {
    // `app` must not take `application/…` or `app.txt`: a directory is a whole path element.
    expect(files.walk('ap')).toEqual([]);
    expect(files.walk('app')).not.toContain('.txt');
    expect(files.walk('app').every((p) => !p.startsWith('/') && !p.startsWith('..'))).toBe(true);
  });
}
