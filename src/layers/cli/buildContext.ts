import type { HostFiles } from '../../ports/hostFiles.ts';
import { tarSize } from '../builder/context.ts';

/**
 * What the docker CLI does with `docker build PATH` before it calls the daemon (docker/cli
 * cli/command/image/build.go RunBuild, image/build/context.go GetContextFromLocalDir and
 * getDockerfileRelPath): PATH must exist; the Dockerfile is `-f` (relative to the current
 * directory) or `PATH/Dockerfile`, its path resolved as `filepath.EvalSymlinks` does (which
 * names the first part that is missing); `.dockerignore` patterns leave files out. The errors
 * are docker's own text (recorded in test/fixtures/real-engine/k-build.txt).
 */
export interface PreparedContext {
  /** The context directory, absolute. */
  dir: string;
  /** The Dockerfile, relative to the context (what the CLI sends as `dockerfile=`). */
  dockerfile: string;
  /** Every file sent: path relative to the context → text. */
  files: Record<string, string>;
  /** Size of the tar the CLI streams. */
  bytes: number;
}

/** `filepath.EvalSymlinks`'s error for a path with a missing part: `lstat <first missing prefix>: …`. */
function lstatError(files: HostFiles, path: string): string | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = `/${parts.slice(0, i).join('/')}`;
    if (files.stat(prefix) === undefined) return `lstat ${prefix}: no such file or directory`;
  }
  return undefined;
}

/** `.dockerignore` as patternmatcher reads it: one pattern per line, `#` comments, `*` within a name. */
export function ignored(patterns: readonly string[], path: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    if (pattern === '') continue;
    const re = new RegExp(
      `^${pattern
        .split('**')
        .map((part) =>
          part
            .split('*')
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*'),
        )
        .join('.*')}(/.*)?$`,
    );
    if (re.test(path)) out = !negate;
  }
  return out;
}

export function prepareContext(
  files: HostFiles | undefined,
  context: string,
  file: string | undefined,
): PreparedContext | { error: string } {
  if (!files || files.stat(context) === undefined)
    return { error: `unable to prepare context: path ${JSON.stringify(context)} not found` };
  const dir = files.resolve(context);
  if (files.stat(dir) !== 'dir')
    return { error: `unable to prepare context: context must be a directory: ${dir}` };
  const wanted = file === undefined ? `${dir}/Dockerfile` : files.resolve(file);
  // Without -f, docker also accepts a lowercase `dockerfile`.
  const dockerfile =
    file === undefined && files.stat(wanted) === undefined && files.stat(`${dir}/dockerfile`) === 'file'
      ? `${dir}/dockerfile`
      : wanted;
  const missing = lstatError(files, dockerfile);
  if (missing)
    return { error: `unable to prepare context: unable to evaluate symlinks in Dockerfile path: ${missing}` };
  const rel = dockerfile.startsWith(`${dir}/`)
    ? dockerfile.slice(dir.length + 1)
    : dockerfile.slice(dockerfile.lastIndexOf('/') + 1);
  const patterns = (files.read(`${dir}/.dockerignore`) ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const sent: Record<string, string> = {};
  for (const path of files.walk(dir)) {
    // The Dockerfile and .dockerignore are always sent (build.TrimBuildFilesFromExcludes).
    if (path !== rel && path !== '.dockerignore' && ignored(patterns, path)) continue;
    sent[path] = files.read(`${dir}/${path}`) ?? '';
  }
  if (!(rel in sent)) sent[rel] = files.read(dockerfile) ?? '';
  return { dir, dockerfile: rel, files: sent, bytes: tarSize(sent) };
}
