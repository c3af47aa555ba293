import { BUILDKIT, words, type ImageSpec } from './build.ts';

/**
 * `alpine:latest` (Alpine 3.21.3): one layer, the Alpine mini root file system, built by buildkit
 * from `FROM scratch` / `ADD alpine-minirootfs-….tar.gz /` / `CMD ["/bin/sh"]`
 * (https://github.com/alpinelinux/docker-alpine). Its commands are BusyBox applets, symlinks
 * to /bin/busybox spread over /bin, /sbin, /usr/bin and /usr/sbin as BusyBox installs them.
 */

const CREATED = '2025-02-14T03:28:36Z';
const VERSION = '3.21.3';

const BIN = words(`
  ash busybox cat chgrp chmod chown cp date dd df dmesg echo egrep false fgrep grep gunzip gzip hostname
  kill ln login ls mkdir mknod mktemp more mount mv netstat nice pidof ping ping6 printenv ps pwd rm rmdir
  sed sh sleep stat stty su sync tar touch true umount uname usleep watch zcat`);
const SBIN = words('apk halt ifconfig init ip ldconfig mdev poweroff reboot route sysctl');
const USR_BIN = words(`
  [ [[ awk basename cut diff dirname du env expr find free head id less md5sum nc nohup nproc nslookup od
  printf readlink realpath seq sha256sum sort tail tee test time timeout top tr traceroute uniq uptime vi
  wc wget which whoami xargs yes`);
const USR_SBIN = words('addgroup adduser chroot crond delgroup deluser');

export const ALPINE: ImageSpec = {
  name: 'alpine',
  tag: 'latest',
  executables: [
    ...BIN.map((p) => `/bin/${p}`),
    ...SBIN.map((p) => `/sbin/${p}`),
    ...USR_BIN.map((p) => `/usr/bin/${p}`),
    ...USR_SBIN.map((p) => `/usr/sbin/${p}`),
  ],
  platform: (arch) => {
    const machine = arch === 'amd64' ? 'x86_64' : 'aarch64';
    const loader = `ld-musl-${machine}.so.1`;
    const file = `alpine-minirootfs-${VERSION}-${machine}.tar.gz`;
    return {
      created: CREATED,
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Cmd: ['/bin/sh'],
      },
      steps: [
        {
          created: CREATED,
          createdBy: `ADD ${file} / # buildkit`,
          comment: BUILDKIT,
          layer: {
            label: `alpine ${file}`,
            size: arch === 'amd64' ? 3_642_360 : 3_993_565,
            uncompressedSize: arch === 'amd64' ? 7_833_600 : 8_995_840,
            files: [
              { path: '/bin/busybox', kind: 'file', size: 808_712 },
              { path: '/bin/sh', kind: 'symlink', target: '/bin/busybox' },
              { path: '/bin/ls', kind: 'symlink', target: '/bin/busybox' },
              { path: '/usr/bin/env', kind: 'symlink', target: '/bin/busybox' },
              { path: '/sbin/apk', kind: 'file', size: 66_432 },
              { path: `/lib/${loader}`, kind: 'file', size: 657_720 },
              { path: `/lib/libc.musl-${machine}.so.1`, kind: 'symlink', target: loader },
              { path: '/etc/alpine-release', kind: 'file', size: 7 },
              { path: '/etc/os-release', kind: 'symlink', target: '../usr/lib/os-release' },
              { path: '/etc/apk/repositories', kind: 'file', size: 103 },
              { path: '/lib/apk/db/installed', kind: 'file', size: 13_823 },
              { path: '/etc/passwd', kind: 'file', size: 1_172 },
            ],
          },
        },
        { created: CREATED, createdBy: 'CMD ["/bin/sh"]', comment: BUILDKIT },
      ],
      annotations: {
        'org.opencontainers.image.created': CREATED,
        'org.opencontainers.image.url': 'https://hub.docker.com/_/alpine',
        'org.opencontainers.image.version': VERSION,
      },
    };
  },
};
