/**
 * The host's files, as the docker CLI sees them: where `docker build PATH` reads its build
 * context and its Dockerfile from (https://docs.docker.com/build/concepts/context/).
 *
 * Lifecycle: a lesson (or the site) gives the files before the run starts; during the run the
 * CLI, the one process on the host that opens them, reads them and writes the files a command
 * writes (`docker save -o`). The legacy
 * builder gets them from the CLI as one tar stream in the `POST /build` body; BuildKit asks the
 * CLI for them over its session (`FileSync.DiffCopy`), so the daemon never reads the host's disk.
 *
 * Glossary: *build context* — the directory `PATH` names, sent to the builder as a whole;
 * *Dockerfile* — `PATH/Dockerfile` unless `-f` names another file; *.dockerignore* — patterns
 * the CLI leaves out of the context; *cwd* — the shell's working directory, against which a
 * relative `PATH` (`docker build .`) is resolved.
 */
export type HostFileKind = 'file' | 'dir';

export interface HostFiles {
  /** The working directory a relative path is resolved against. */
  readonly cwd: string;
  /** An absolute, cleaned path (`.`, `..` and repeated slashes resolved against cwd). */
  resolve(path: string): string;
  /** What is at `path` (lstat): a file, a directory, or nothing. */
  stat(path: string): HostFileKind | undefined;
  /** A file's text, or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** Write a file (its parent directories made as `mkdir -p` would), replacing what was there. */
  write(path: string, text: string): void;
  /** Every file under `dir`, recursively, as paths relative to it, sorted; [] when it is no directory. */
  walk(dir: string): string[];
}
