import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePs } from '../../../src/layers/dockerd/ops/containerTop.ts';
import { resolveUser } from '../../../engine/real/execUser.ts';

/** `ps -ef` and `ps -o pid,comm` as dockerd reads them (moby v20.10.24 daemon/top_unix.go parsePSOutput). */
describe('docker top: ps output kept to the task’s pids', () => {
  const ps = [
    'UID          PID    PPID  C STIME TTY          TIME CMD',
    'root           1       0  0 12:00 ?        00:00:01 /sbin/init',
    'root       21391   21370  2 12:28 ?        00:00:00 sleep 1000',
    'root       21400   21370  0 12:28 ?        00:00:00 sh -c echo a  b',
    '',
  ].join('\n');

  it('takes the titles, the rows of the pids, and keeps the command’s spaces', () => {
    expect(parsePs(ps, [21391, 21400])).toEqual({
      Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      Processes: [
        ['root', '21391', '21370', '2', '12:28', '?', '00:00:00', 'sleep 1000'],
        ['root', '21400', '21370', '0', '12:28', '?', '00:00:00', 'sh -c echo a b'],
      ],
    });
  });

  it('keeps the thread lines (PID -) after a kept process, and says when there is no PID column', () => {
    const threads = 'PID TID COMMAND\n7 - app\n- 8 app\n9 - other\n- 10 other\n';
    expect(parsePs(threads, [7])).toEqual({
      Titles: ['PID', 'TID', 'COMMAND'],
      Processes: [
        ['7', '-', 'app'],
        ['-', '8', 'app'],
      ],
    });
    expect(parsePs('USER COMMAND\nroot sleep\n', [1])).toBe("Couldn't find PID field in ps output");
  });
});

/** `docker exec -u`, as dockerd 20.10 resolved it here (test/fixtures/real-engine/w-exec-top-stats.txt). */
describe('docker exec -u: the user of the container’s /etc/passwd', () => {
  const rootfs = mkdtempSync(join(tmpdir(), 'dockstep-user-'));
  mkdirSync(join(rootfs, 'etc'));
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\nuser:x:1000:1000::/home/user:/bin/sh\n',
  );
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\nuser:x:1000:\nextra:x:2000:user\n');
  afterAll(() => rmSync(rootfs, { recursive: true, force: true }));

  it('resolves names, bare uids and uid:gid as dockerd did', async () => {
    expect(await resolveUser(rootfs, 'nobody')).toEqual({ uid: 65534, gid: 65534, additionalGids: [65534] });
    expect(await resolveUser(rootfs, 'user')).toEqual({ uid: 1000, gid: 1000, additionalGids: [1000, 2000] });
    expect(await resolveUser(rootfs, '1000:1000')).toEqual({ uid: 1000, gid: 1000, additionalGids: [] });
    expect(await resolveUser(rootfs, '4242')).toEqual({ uid: 4242, gid: 0, additionalGids: [0] });
    expect(await resolveUser(rootfs, 'user:extra')).toEqual({ uid: 1000, gid: 2000, additionalGids: [] });
  });

  it('refuses unknown names with dockerd’s words, and reads no file outside the container', async () => {
    await expect(resolveUser(rootfs, 'nosuchuser')).rejects.toThrow(
      'unable to find user nosuchuser: no matching entries in passwd file',
    );
    await expect(resolveUser(rootfs, 'user:nogroup')).rejects.toThrow(
      'unable to find group nogroup: no matching entries in group file',
    );
    const escaped = mkdtempSync(join(tmpdir(), 'dockstep-user-'));
    mkdirSync(join(escaped, 'etc'));
    symlinkSync(join(rootfs, 'etc/passwd'), join(escaped, 'etc/passwd'));
    await expect(resolveUser(escaped, 'nobody')).rejects.toThrow('unable to find user nobody');
    rmSync(escaped, { recursive: true, force: true });
  });
});
