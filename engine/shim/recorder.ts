// Observing the runc calls the shim makes. The runc options' binary_name names this recorder, a
// bash (or, without bash, POSIX sh) script the engine writes under its run dir: it runs the real runc with the argv it
// got (stdio, exit status and all passed through), then appends one JSON line
// {"argv":[…],"exitStatus":N,"startedAt":"S.N","endedAt":"S.N"} to the file named by
// DOCKSTEP_RUNC_LOG, which the shim hands on to runc with the rest of its environment (go-runc
// runs runc with os.Environ()). So the shim → runc messages of a real trace carry what really ran.
import { existsSync } from 'node:fs';
import { chmod, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUNC_BINARY } from './binaries.ts';

export const RUNC_LOG_ENV = 'DOCKSTEP_RUNC_LOG';

export interface RuncCall {
  argv: string[];
  exitStatus: number;
  /** Epoch milliseconds, microsecond precision. */
  startedAt: number;
  endedAt: number;
}

/** The shell-quoted runc path. */
const quote = (path: string): string => `'${path.replaceAll("'", `'"'"'`)}'`;

/**
 * The script in bash: the clock and the JSON escaping are its builtins (EPOCHREALTIME, pattern
 * substitution), so a runc call costs one shell and runc, no `date` or `awk` beside them. The
 * clock's decimal mark follows the locale: the first non-digit is made a dot.
 */
function bashScript(runc: string): string {
  const quoted = quote(runc);
  return `#!/bin/bash
# Written by dockstep (engine/shim/recorder.ts): runs runc and records its argv and exit status.
started=\${EPOCHREALTIME/[!0-9]/.}
${quoted} "$@"
status=$?
if [ -n "$${RUNC_LOG_ENV}" ]; then
  ended=\${EPOCHREALTIME/[!0-9]/.}
  out='{"argv":['
  sep=''
  for a in ${quoted} "$@"; do
    a=\${a//'\\'/'\\\\'}
    a=\${a//'"'/'\\"'}
    a=\${a//$'\\t'/'\\t'}
    a=\${a//$'\\n'/'\\n'}
    a=\${a//$'\\r'/'\\r'}
    out+="$sep\\"$a\\""
    sep=','
  done
  printf '%s],"exitStatus":%d,"startedAt":"%s","endedAt":"%s"}\\n' "$out" "$status" "$started" "$ended" >> "$${RUNC_LOG_ENV}"
fi
exit $status
`;
}

/** The script in POSIX sh where there is no bash: awk does the JSON escaping (one process, not one per argument). */
function shScript(runc: string): string {
  const quoted = quote(runc);
  return `#!/bin/sh
# Written by dockstep (engine/shim/recorder.ts): runs runc and records its argv and exit status.
started=$(date +%s.%N)
${quoted} "$@"
status=$?
if [ -n "$${RUNC_LOG_ENV}" ]; then
  ended=$(date +%s.%N)
  awk -v s="$started" -v e="$ended" -v x="$status" -- '
  function swap(a, ch, by,   n, parts, j, out) {
    n = split(a, parts, ch); out = parts[1]
    for (j = 2; j <= n; j++) out = out by parts[j]
    return out
  }
  BEGIN {
    out = "{\\"argv\\":["
    for (i = 1; i < ARGC; i++) {
      a = swap(swap(ARGV[i], "\\\\", "\\\\\\\\"), "\\"", "\\\\\\"")
      a = swap(swap(swap(a, "\\t", "\\\\t"), "\\n", "\\\\n"), "\\r", "\\\\r")
      out = out (i > 1 ? "," : "") "\\"" a "\\""
    }
    printf "%s],\\"exitStatus\\":%d,\\"startedAt\\":\\"%s\\",\\"endedAt\\":\\"%s\\"}\\n", out, x, s, e
    exit
  }' ${quoted} "$@" >> "$${RUNC_LOG_ENV}"
fi
exit $status
`;
}

/** bash when the host has it (one process per call), else POSIX sh with date and awk. */
function script(runc: string): string {
  return existsSync('/bin/bash') ? bashScript(runc) : shScript(runc);
}

/** Writes the recorder as RUN_DIR/runc-recorder (mode 0755) and answers its path. */
export async function writeRecorder(runDir: string, runc = RUNC_BINARY): Promise<string> {
  const path = join(runDir, 'runc-recorder');
  await writeFile(path, script(runc), { mode: 0o755 });
  await chmod(path, 0o755);
  return path;
}

const millis = (seconds: string): number => {
  const [s = '0', ns = '0'] = seconds.split('.');
  return Number(s) * 1000 + Number(ns.padEnd(9, '0').slice(0, 6)) / 1000;
};

function parse(line: string, path: string): RuncCall {
  const raw: unknown = JSON.parse(line);
  if (
    typeof raw !== 'object' ||
    raw === null ||
    !('argv' in raw) ||
    !Array.isArray(raw.argv) ||
    !('exitStatus' in raw) ||
    typeof raw.exitStatus !== 'number' ||
    !('startedAt' in raw) ||
    typeof raw.startedAt !== 'string' ||
    !('endedAt' in raw) ||
    typeof raw.endedAt !== 'string'
  ) {
    throw new Error(`${path}: not a runc call record: ${line.slice(0, 200)}`);
  }
  return {
    argv: raw.argv.map(String),
    exitStatus: raw.exitStatus,
    startedAt: millis(raw.startedAt),
    endedAt: millis(raw.endedAt),
  };
}

/** Every call recorded in `path` (none when the file does not exist yet). */
export async function readRuncCalls(path: string): Promise<RuncCall[]> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => parse(l, path));
}

/** Reads a recorder log as it grows: each `next()` answers the calls recorded since the last. */
export class RuncLog {
  private offset = 0;

  constructor(readonly path: string) {}

  async next(): Promise<RuncCall[]> {
    const file = await open(this.path, 'r').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (file === undefined) return [];
    try {
      const { size } = await file.stat();
      if (size <= this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      await file.read(buffer, 0, buffer.length, this.offset);
      const text = buffer.toString('utf8');
      // Only whole lines: a line being appended is read next time.
      const end = text.lastIndexOf('\n') + 1;
      this.offset += Buffer.byteLength(text.slice(0, end));
      return text
        .slice(0, end)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => parse(l, this.path));
    } finally {
      await file.close();
    }
  }
}
