// Reading a real directory into the simulated host's files (`dockstep sim --files DIR`), so
// `docker build` can build from it: every regular file under DIR, by its absolute path, as text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Large files (and more than this many) are left out: the simulation needs names and sizes, not data sets. */
const MAX_FILE = 1024 * 1024;
const MAX_FILES = 2000;

export function readHostFiles(dir: string): { files: Record<string, string>; cwd: string } {
  const root = resolve(dir);
  const files: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (Object.keys(files).length >= MAX_FILES) return;
      const full = join(path, entry.name);
      if (entry.isDirectory() && entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && statSync(full).size <= MAX_FILE) files[full] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return { files, cwd: root };
}
