import { words, type ImageSpec } from './build.ts';

/**
 * `busybox:latest` (BusyBox 1.37.0, glibc variant): one layer holding a single binary and the
 * hard links that name its applets, all in /bin (https://github.com/docker-library/busybox).
 * The image is assembled by the official-images tooling, not from a Dockerfile, hence the
 * history without a buildkit comment.
 */

const CREATED = '2024-09-26T21:31:42Z';
const BUSYBOX_SIZE = 1_166_728;

/** A sample of the applets; in this image every one of them is a hard link in /bin. */
const APPLETS = words(`
  [ [[ ash awk base64 basename cat chmod chown cp cut date dd df dirname du echo env expr false find free
  grep gunzip gzip head hostname id ifconfig ip kill killall less ln ls mkdir mktemp more mount mv nc
  netstat nslookup ping printenv printf ps pwd readlink rm rmdir sed seq sh sleep sort stat sync tail tar
  tee test timeout top touch tr true umount uname uniq uptime vi watch wc wget which whoami xargs yes`);

export const BUSYBOX: ImageSpec = {
  name: 'busybox',
  tag: 'latest',
  executables: ['/bin/busybox', ...APPLETS.map((a) => `/bin/${a}`)],
  platform: (arch) => ({
    created: CREATED,
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['sh'],
    },
    steps: [
      {
        created: CREATED,
        createdBy: 'BusyBox 1.37.0 (glibc), Debian 12',
        layer: {
          label: `busybox 1.37.0 glibc rootfs, linux/${arch}`,
          size: arch === 'amd64' ? 2_152_262 : 1_940_118,
          uncompressedSize: arch === 'amd64' ? 4_270_080 : 4_044_800,
          // Hard links carry no data of their own: `target` names the file they link to.
          files: [
            { path: '/bin/busybox', kind: 'file', size: BUSYBOX_SIZE },
            { path: '/bin/sh', kind: 'file', size: BUSYBOX_SIZE, target: '/bin/busybox' },
            { path: '/bin/ls', kind: 'file', size: BUSYBOX_SIZE, target: '/bin/busybox' },
            { path: '/bin/sleep', kind: 'file', size: BUSYBOX_SIZE, target: '/bin/busybox' },
            { path: '/etc/passwd', kind: 'file', size: 340 },
            { path: '/etc/group', kind: 'file', size: 277 },
            { path: '/lib/libc.so.6', kind: 'file', size: 1_922_136 },
            { path: '/root', kind: 'dir' },
            { path: '/tmp', kind: 'dir' },
            { path: '/home', kind: 'dir' },
            { path: '/var/spool/mail', kind: 'dir' },
            { path: '/usr/sbin', kind: 'dir' },
          ],
        },
      },
      { created: CREATED, createdBy: 'CMD ["sh"]' },
    ],
    annotations: {
      'org.opencontainers.image.created': CREATED,
      'org.opencontainers.image.url': 'https://hub.docker.com/_/busybox',
      'org.opencontainers.image.version': '1.37.0-glibc',
    },
  }),
};
