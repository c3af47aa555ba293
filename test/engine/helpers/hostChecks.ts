// What the volumes suite looks at on the host besides leaks (hostLeaks.ts counts those): a
// container's cgroup files, a hostile tar for `docker cp`, and polling an answer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A cgroup file of container `id` under the engine's parent: cgroup v1's `v1` in `hierarchy`, else v2's `v2`. */
export function cgroupFile(id: string, hierarchy: string, v1: string, v2: string): string {
  const legacy = `/sys/fs/cgroup/${hierarchy}/dockstep/${id}/${v1}`;
  const path = existsSync(legacy) ? legacy : `/sys/fs/cgroup/dockstep/${id}/${v2}`;
  return readFileSync(path, 'utf8').trim();
}

/** A tar whose first entry is a link to the host directory `outside`, its second a file through that link. */
export function hostileTar(local: string, outside: string): Buffer {
  mkdirSync(outside);
  symlinkSync(outside, join(local, 'evil'));
  mkdirSync(join(local, 'evil2'));
  writeFileSync(join(local, 'evil2', 'x'), 'x\n');
  const tar = join(local, 'evil.tar');
  execFileSync('tar', ['-C', local, '-cf', tar, 'evil', 'evil2/x', '--transform', 's,^evil2,evil,']);
  return readFileSync(tar);
}

/** Polls an answer of the engine until it says yes (bounded by a count, not by time). */
export async function eventually(ready: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}
