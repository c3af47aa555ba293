import { BUILDKIT, words, type Arch, type ImageSpec, type LayerSpec, type Step } from './build.ts';
import { DEBIAN_EXECUTABLES, PATH_ENV, debianBase } from './debian.ts';

/**
 * `redis:latest` for Redis 7.4.2 on Debian bookworm, built by buildkit from
 * https://github.com/docker-library/redis/blob/master/7.4/debian/Dockerfile. Its first layer is
 * the same `debian:bookworm-slim` layer as nginx's (debian.ts), so the two images share it.
 */

const CREATED = '2025-02-04T17:52:08Z';
const REDIS_VERSION = '7.4.2';
/** As published in docker-library/redis's versions.json for 7.4.2. */
const REDIS_DOWNLOAD_SHA = '4ddebbf09061cbb589011786febdb34f29767dd7f89dbe712d2b68e808af6a1f';

/** Buildkit keeps the tabs of the Dockerfile's indented continuation lines. */
function run(...lines: string[]): string {
  return `RUN /bin/sh -c ${lines.join(' \t')} # buildkit`;
}

function layer(label: string, sizes: [number, number], files: LayerSpec['files']): LayerSpec {
  return { label: `redis ${REDIS_VERSION} ${label}`, size: sizes[0], uncompressedSize: sizes[1], files };
}

function step(createdBy: string, spec?: LayerSpec): Step {
  return { created: CREATED, createdBy, comment: BUILDKIT, ...(spec && { layer: spec }) };
}

/**
 * The layer of an instruction that changed nothing (here `WORKDIR /data`, the directory already
 * exists): a gzip of an empty 1024-byte tar. Unlike the other layers this blob is real and its
 * digests are the ones every buildkit image shares (`4f4fb700ef54` in pull output).
 */
const EMPTY_LAYER: LayerSpec = {
  label: 'empty layer',
  size: 32,
  uncompressedSize: 1_024,
  files: [],
  known: {
    digest: 'sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1',
    diffId: 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
  },
};

function buildLayer(arch: Arch): LayerSpec {
  return layer(
    `build from source, linux/${arch}`,
    arch === 'amd64' ? [14_387_334, 35_623_936] : [13_870_115, 34_316_288],
    [
      { path: '/usr/local/bin/redis-server', kind: 'file', size: 17_215_608 },
      { path: '/usr/local/bin/redis-cli', kind: 'file', size: 8_287_512 },
      { path: '/usr/local/bin/redis-benchmark', kind: 'file', size: 7_989_384 },
      { path: '/usr/local/bin/redis-check-aof', kind: 'symlink', target: 'redis-server' },
      { path: '/usr/local/bin/redis-check-rdb', kind: 'symlink', target: 'redis-server' },
      { path: '/usr/local/bin/redis-sentinel', kind: 'symlink', target: 'redis-server' },
    ],
  );
}

const RUN_USER = run('set -eux;', 'groupadd -r -g 999 redis;', 'useradd -r -g redis -u 999 redis');

const RUN_TZDATA = run(
  'set -eux;',
  'apt-get update;',
  'apt-get install -y --no-install-recommends \t\ttzdata \t;',
  'rm -rf /var/lib/apt/lists/*',
);

const RUN_GOSU = run(
  'set -eux;',
  'savedAptMark="$(apt-mark showmanual)";',
  'apt-get update;',
  'apt-get install -y --no-install-recommends ca-certificates gnupg wget;',
  'dpkgArch="$(dpkg --print-architecture | awk -F- \'{ print $NF }\')";',
  'wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch";',
  'chmod +x /usr/local/bin/gosu;',
  'gosu --version;',
  'gosu nobody true',
);

/** Abridged: the real instruction also patches the default config and purges the build tools. */
const RUN_BUILD = run(
  'set -eux;',
  'savedAptMark="$(apt-mark showmanual)";',
  'apt-get update;',
  'apt-get install -y --no-install-recommends ca-certificates wget dpkg-dev gcc libc6-dev libssl-dev make;',
  'wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL";',
  'echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -;',
  'make -C /usr/src/redis -j "$(nproc)" all;',
  'make -C /usr/src/redis install;',
  'rm -r /usr/src/redis;',
  'redis-cli --version;',
  'redis-server --version',
);

/** The user, tzdata and gosu layers that precede the build. */
function setupSteps(arch: Arch): Step[] {
  const users = layer(
    'user and group',
    [1_104, 9_216],
    [
      { path: '/etc/passwd', kind: 'file', size: 965 },
      { path: '/etc/group', kind: 'file', size: 449 },
      { path: '/etc/shadow', kind: 'file', size: 520 },
      { path: '/etc/gshadow', kind: 'file', size: 374 },
    ],
  );
  const tzdata = layer(
    `tzdata, linux/${arch}`,
    [1_238_207, 4_052_480],
    [
      { path: '/usr/share/zoneinfo/Etc/UTC', kind: 'file', size: 114 },
      { path: '/usr/share/zoneinfo/Europe/Paris', kind: 'file', size: 2_962 },
      { path: '/usr/share/zoneinfo/America/New_York', kind: 'file', size: 3_552 },
      { path: '/etc/localtime', kind: 'symlink', target: '/usr/share/zoneinfo/Etc/UTC' },
      { path: '/etc/timezone', kind: 'file', size: 8 },
      { path: '/var/lib/dpkg/status', kind: 'file', size: 74_107 },
    ],
  );
  const gosu = layer(
    `gosu 1.17, linux/${arch}`,
    [1_144_867, 2_478_080],
    [
      { path: '/usr/local/bin/gosu', kind: 'file', size: 2_318_336 },
      { path: '/var/lib/dpkg/status', kind: 'file', size: 74_107 },
    ],
  );
  return [
    step(RUN_USER, users),
    step(RUN_TZDATA, tzdata),
    step('ENV GOSU_VERSION=1.17'),
    step(RUN_GOSU, gosu),
  ];
}

function steps(arch: Arch): Step[] {
  const data = layer('/data', [97, 1_536], [{ path: '/data', kind: 'dir' }]);
  const entrypoint = layer(
    'COPY docker-entrypoint.sh',
    [1_100, 4_608],
    [{ path: '/usr/local/bin/docker-entrypoint.sh', kind: 'file', size: 2_812 }],
  );
  return [
    debianBase(arch),
    ...setupSteps(arch),
    step(`ENV REDIS_VERSION=${REDIS_VERSION}`),
    step(`ENV REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-${REDIS_VERSION}.tar.gz`),
    step(`ENV REDIS_DOWNLOAD_SHA=${REDIS_DOWNLOAD_SHA}`),
    step(RUN_BUILD, buildLayer(arch)),
    step(run('mkdir /data && chown redis:redis /data'), data),
    step('VOLUME [/data]'),
    step('WORKDIR /data', EMPTY_LAYER),
    step('COPY docker-entrypoint.sh /usr/local/bin/ # buildkit', entrypoint),
    step('ENTRYPOINT ["docker-entrypoint.sh"]'),
    step('EXPOSE map[6379/tcp:{}]'),
    step('CMD ["redis-server"]'),
  ];
}

export const REDIS: ImageSpec = {
  name: 'redis',
  tag: 'latest',
  executables: [
    ...DEBIAN_EXECUTABLES,
    ...words(`/usr/local/bin/redis-server /usr/local/bin/redis-cli /usr/local/bin/redis-benchmark
      /usr/local/bin/redis-check-aof /usr/local/bin/redis-check-rdb /usr/local/bin/redis-sentinel
      /usr/local/bin/gosu /usr/local/bin/docker-entrypoint.sh`),
  ],
  platform: (arch) => ({
    created: CREATED,
    config: {
      ExposedPorts: { '6379/tcp': {} },
      Env: [
        PATH_ENV,
        'GOSU_VERSION=1.17',
        `REDIS_VERSION=${REDIS_VERSION}`,
        `REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-${REDIS_VERSION}.tar.gz`,
        `REDIS_DOWNLOAD_SHA=${REDIS_DOWNLOAD_SHA}`,
      ],
      Entrypoint: ['docker-entrypoint.sh'],
      Cmd: ['redis-server'],
      Volumes: { '/data': {} },
      WorkingDir: '/data',
    },
    steps: steps(arch),
    annotations: {
      'org.opencontainers.image.base.name': 'debian:bookworm-slim',
      'org.opencontainers.image.created': CREATED,
      'org.opencontainers.image.source': 'https://github.com/docker-library/redis.git',
      'org.opencontainers.image.url': 'https://hub.docker.com/_/redis',
      'org.opencontainers.image.version': REDIS_VERSION,
    },
  }),
};
