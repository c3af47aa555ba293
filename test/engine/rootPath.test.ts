// A container path resolved inside its root file system as the container would see it: links
// followed with the root as `/`, `..` stopped at the root, so a hostile image's links never name
// a host file (engine/real/rootPath.ts; CVE-2014-9356, CVE-2018-15664).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveInRoot, RootPathError } from '../../engine/real/rootPath.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('rootpath');
const root = join(work.path, 'rootfs');
mkdirSync(join(root, 'etc', 'conf.d'), { recursive: true });
writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
symlinkSync('/etc', join(root, 'abs'));
symlinkSync('../../../../..', join(root, 'up'));
symlinkSync('/../../etc/passwd', join(root, 'shadowy'));
symlinkSync('conf.d/../passwd', join(root, 'etc', 'rel'));
symlinkSync('loop', join(root, 'loop'));
afterAll(() => work.remove());

it('follows links with the container root as /', async () => {
  expect(await resolveInRoot(root, '/abs/passwd')).toBe(join(root, 'etc', 'passwd'));
  expect(await resolveInRoot(root, 'etc/rel')).toBe(join(root, 'etc', 'passwd'));
  expect(await resolveInRoot(root, '/shadowy')).toBe(join(root, 'etc', 'passwd'));
});

it('never climbs above the root, by .. or by a link', async () => {
  expect(await resolveInRoot(root, '/../../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
  expect(await resolveInRoot(root, '/up/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
  expect(await resolveInRoot(root, '/up')).toBe(root);
});

it('keeps the last link when asked, takes missing paths lexically, refuses link loops', async () => {
  expect(await resolveInRoot(root, '/abs', false)).toBe(join(root, 'abs'));
  expect(await resolveInRoot(root, '/nothing/a/../b')).toBe(join(root, 'nothing', 'b'));
  expect(await resolveInRoot(root, '/nothing/../../..')).toBe(root);
  await expect(resolveInRoot(root, '/loop')).rejects.toBeInstanceOf(RootPathError);
});
