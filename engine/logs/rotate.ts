// Rotation of a json-file log as dockerd 20.10 does it when the file has reached `max-size`
// before a write (moby daemon/logger/loggerutils/logfile.go checkCapacityAndRotate, rotate): the
// oldest kept file `NAME.<max-file - 1>` removed, each `NAME.<i-1>` renamed `NAME.<i>`, then
// NAME renamed NAME.1 (even with max-file 1, where nothing else moves) and a new empty NAME
// opened. Compression (`compress=true`) is not supported here.
import { rename, rm } from 'node:fs/promises';

async function renameIfThere(from: string, to: string): Promise<void> {
  await rename(from, to).catch((error: unknown) => {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  });
}

/** Moves the files along; the caller has closed NAME and opens it anew afterwards. */
export async function rotateLogFiles(name: string, maxFiles: number): Promise<void> {
  if (maxFiles >= 2) {
    await rm(`${name}.${maxFiles - 1}`, { force: true });
    for (let i = maxFiles - 1; i > 1; i--) await renameIfThere(`${name}.${i - 1}`, `${name}.${i}`);
  }
  await renameIfThere(name, `${name}.1`);
}

/** The files a reader goes through, oldest first: NAME.<max-file - 1> … NAME.1 (those there), then NAME. */
export function logFilesOldestFirst(name: string, maxFiles: number): string[] {
  const rotated: string[] = [];
  for (let i = maxFiles - 1; i >= 1; i--) rotated.push(`${name}.${i}`);
  return [...rotated, name];
}
