import { describe, expect, it } from 'vitest';
import { parseDockerLine, type DockerCommand } from '../../../src/cli/index.ts';

function command(line: string): DockerCommand {
  const out = parseDockerLine(line);
  if (!out.ok) throw new Error(`expected ${line} to parse, got ${out.error.stderr}`);
  return out.command;
}

const RUN_DEFAULTS = {
  detach: false,
  rm: false,
  env: [],
  publish: [],
  network: 'default',
  interactive: false,
  tty: false,
  pull: 'missing',
  args: [],
};

describe('run and create', () => {
  it('reads the bare form with docker defaults', () => {
    expect(command('docker run busybox')).toStrictEqual({ name: 'run', ...RUN_DEFAULTS, image: 'busybox' });
  });

  it('reads every modelled flag', () => {
    const line =
      'docker run -d --rm --name web -e A=1 --env B=2 -m 512m -p 8080:80 -p 127.0.0.1:53:53/udp --network mynet ' +
      '-i -t --entrypoint /bin/sh -w /srv -u 1000:1000 --stop-signal SIGINT --stop-timeout 3 --pull always ' +
      'nginx:1.27 -c "echo hi"';
    expect(command(line)).toStrictEqual({
      name: 'run',
      detach: true,
      rm: true,
      containerName: 'web',
      env: ['A=1', 'B=2'],
      memoryBytes: 512 * 2 ** 20,
      publish: [
        { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 53, containerPort: 53, protocol: 'udp' },
      ],
      network: 'mynet',
      interactive: true,
      tty: true,
      entrypoint: '/bin/sh',
      workdir: '/srv',
      user: '1000:1000',
      stopSignal: 'SIGINT',
      stopTimeout: 3,
      pull: 'always',
      image: 'nginx:1.27',
      args: ['-c', 'echo hi'],
    });
  });

  it('reads combined short flags and the -e=X / -eX forms', () => {
    const cmd = command('docker run -dit -e=A=1 -eB=2 -p80 busybox');
    expect(cmd).toMatchObject({ detach: true, interactive: true, tty: true, env: ['A=1', 'B=2'] });
    expect(cmd).toMatchObject({ publish: [{ containerPort: 80, protocol: 'tcp' }] });
  });

  it('stops parsing flags at the image: the rest belongs to the container', () => {
    expect(command('docker run busybox ls -la')).toMatchObject({ image: 'busybox', args: ['ls', '-la'] });
    expect(command('docker run -d busybox -d --rm')).toMatchObject({
      detach: true,
      rm: false,
      args: ['-d', '--rm'],
    });
    expect(command('docker run -- busybox -x')).toMatchObject({ image: 'busybox', args: ['-x'] });
  });

  it('passes shell quoting through to the container command', () => {
    expect(
      command(`docker run -d busybox sh -c 'trap "exit 0" TERM; while true; do sleep 1; done'`),
    ).toMatchObject({
      args: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
    });
    expect(command(`docker run -m 64m busybox sh -c 'x=a; while true; do x=$x$x; done'`)).toMatchObject({
      memoryBytes: 64 * 2 ** 20,
      args: ['sh', '-c', 'x=a; while true; do x=$x$x; done'],
    });
  });
});

describe('run and create: flag forms', () => {
  it('accepts explicit boolean values and repeated flags (the last wins)', () => {
    expect(command('docker run --rm=false -d=false --tty=true busybox')).toMatchObject({
      rm: false,
      detach: false,
      tty: true,
    });
    expect(command('docker run --name a --name b busybox')).toMatchObject({ containerName: 'b' });
  });
});

describe('run and create: policies, networks, create', () => {
  it('reads restart policies and network modes', () => {
    expect(command('docker run --restart always busybox')).toMatchObject({ restart: { name: 'always' } });
    expect(command('docker run --restart on-failure:3 busybox')).toMatchObject({
      restart: { name: 'on-failure', maximumRetryCount: 3 },
    });
    expect(command('docker run --rm --restart no busybox')).toMatchObject({
      rm: true,
      restart: { name: 'no' },
    });
    for (const mode of ['none', 'bridge', 'host', 'default', 'my-net']) {
      expect(command(`docker run --network ${mode} busybox`)).toMatchObject({ network: mode });
    }
    expect(command('docker run --net=host busybox')).toMatchObject({ network: 'host' });
    expect(command('docker run --network name=web,alias=x busybox')).toMatchObject({ network: 'web' });
  });

  it('keeps --entrypoint= as an empty entrypoint', () => {
    expect(command('docker run --entrypoint= busybox')).toMatchObject({ entrypoint: '' });
  });

  it('accepts real flags it does not simulate and lists them', () => {
    const out = parseDockerLine('docker run --tmpfs /run --cpus 1.5 -h box busybox');
    expect(out.ok && out.ignoredFlags).toEqual(['--tmpfs', '--cpus', '--hostname']);
  });

  it('reads create like run, without -d', () => {
    const { detach: _detach, ...createDefaults } = RUN_DEFAULTS;
    expect(command('docker create --name web -p 80 nginx')).toStrictEqual({
      name: 'create',
      ...createDefaults,
      containerName: 'web',
      publish: [{ containerPort: 80, protocol: 'tcp' }],
      image: 'nginx',
    });
    expect(command('docker container create busybox')).toMatchObject({ name: 'create', image: 'busybox' });
    expect(command('docker container run -it busybox sh')).toMatchObject({
      name: 'run',
      tty: true,
      args: ['sh'],
    });
  });
});

const CONTAINER_CASES: [string, DockerCommand][] = [
  ['docker start web', { name: 'start', containers: ['web'], attach: false, interactive: false }],
  ['docker start -ai web', { name: 'start', containers: ['web'], attach: true, interactive: true }],
  [
    'docker container start a b',
    { name: 'start', containers: ['a', 'b'], attach: false, interactive: false },
  ],
  ['docker stop web', { name: 'stop', containers: ['web'] }],
  ['docker stop -t 5 -s INT a b', { name: 'stop', containers: ['a', 'b'], time: 5, signal: 'INT' }],
  ['docker stop --time=0 a', { name: 'stop', containers: ['a'], time: 0 }],
  ['docker restart -t 0 web', { name: 'restart', containers: ['web'], time: 0 }],
  ['docker kill web', { name: 'kill', containers: ['web'], signal: 'KILL' }],
  ['docker kill -s TERM a b', { name: 'kill', containers: ['a', 'b'], signal: 'TERM' }],
  ['docker kill --signal=SIGHUP a', { name: 'kill', containers: ['a'], signal: 'SIGHUP' }],
  ['docker pause web', { name: 'pause', containers: ['web'] }],
  ['docker container unpause web', { name: 'unpause', containers: ['web'] }],
  ['docker rm web', { name: 'rm', containers: ['web'], force: false, volumes: false }],
  ['docker rm -fv a b', { name: 'rm', containers: ['a', 'b'], force: true, volumes: true }],
  ['docker container remove -f a', { name: 'rm', containers: ['a'], force: true, volumes: false }],
  ['docker wait a b', { name: 'wait', containers: ['a', 'b'] }],
  ['docker logs web', { name: 'logs', container: 'web', follow: false, timestamps: false }],
  [
    'docker logs -ft --tail 10 --since 1m --until=2m web',
    {
      name: 'logs',
      container: 'web',
      follow: true,
      timestamps: true,
      tail: '10',
      since: '1m',
      until: '2m',
    },
  ],
  ['docker logs -n5 web', { name: 'logs', container: 'web', follow: false, timestamps: false, tail: '5' }],
];

describe('container commands', () => {
  it.each(CONTAINER_CASES)('%s', (line, expected) => {
    expect(command(line)).toStrictEqual(expected);
  });

  it('reads ps and its management forms', () => {
    const base = {
      name: 'ps',
      all: false,
      quiet: false,
      noTrunc: false,
      latest: false,
      size: false,
      filters: [],
    };
    expect(command('docker ps')).toStrictEqual(base);
    expect(command('docker container ls')).toStrictEqual(base);
    expect(command('docker container ps')).toStrictEqual(base);
    expect(command('docker container list')).toStrictEqual(base);
    expect(
      command('docker ps -aqs --no-trunc -l -n 2 -f Status=exited -f " name = web " --format {{.ID}}'),
    ).toStrictEqual({
      ...base,
      all: true,
      quiet: true,
      size: true,
      noTrunc: true,
      latest: true,
      last: 2,
      filters: ['status=exited', 'name=web'],
      format: '{{.ID}}',
    });
  });
});

describe('container commands: exec and inspect', () => {
  it('reads exec, stopping flags at the container', () => {
    expect(command('docker exec -it -e A=1 -w /tmp -u root web ls -la')).toStrictEqual({
      name: 'exec',
      container: 'web',
      detach: false,
      interactive: true,
      tty: true,
      env: ['A=1'],
      workdir: '/tmp',
      user: 'root',
      cmd: ['ls', '-la'],
    });
    expect(command('docker container exec -d web sleep 5')).toMatchObject({
      detach: true,
      cmd: ['sleep', '5'],
    });
  });

  it('reads inspect in its three forms', () => {
    expect(command('docker inspect web')).toStrictEqual({ name: 'inspect', names: ['web'], size: false });
    expect(command('docker inspect --type=image -f {{.Id}} -s a b')).toStrictEqual({
      name: 'inspect',
      names: ['a', 'b'],
      type: 'image',
      format: '{{.Id}}',
      size: true,
    });
    expect(command('docker container inspect -s web')).toStrictEqual({
      name: 'inspect',
      names: ['web'],
      type: 'container',
      size: true,
    });
    expect(command('docker image inspect nginx')).toStrictEqual({
      name: 'inspect',
      names: ['nginx'],
      type: 'image',
      size: false,
    });
  });
});

const IMAGE_CASES: [string, DockerCommand][] = [
  [
    'docker images',
    { name: 'images', all: false, quiet: false, noTrunc: false, digests: false, filters: [] },
  ],
  [
    'docker image ls -aq --digests --no-trunc --format json nginx',
    {
      name: 'images',
      all: true,
      quiet: true,
      noTrunc: true,
      digests: true,
      filters: [],
      format: 'json',
      repository: 'nginx',
    },
  ],
  [
    'docker image list -f dangling=true',
    {
      name: 'images',
      all: false,
      quiet: false,
      noTrunc: false,
      digests: false,
      filters: ['dangling=true'],
    },
  ],
  ['docker pull busybox', { name: 'pull', ref: 'busybox', quiet: false, allTags: false }],
  [
    'docker image pull -q --platform linux/arm64 alpine:3.20',
    { name: 'pull', ref: 'alpine:3.20', quiet: true, allTags: false, platform: 'linux/arm64' },
  ],
  [
    'docker pull -a localhost:5000/x/y',
    { name: 'pull', ref: 'localhost:5000/x/y', quiet: false, allTags: true },
  ],
  ['docker rmi nginx', { name: 'rmi', images: ['nginx'], force: false, noPrune: false }],
  ['docker image rm -f --no-prune a b', { name: 'rmi', images: ['a', 'b'], force: true, noPrune: true }],
  ['docker image remove a', { name: 'rmi', images: ['a'], force: false, noPrune: false }],
  ['docker history nginx', { name: 'history', image: 'nginx', noTrunc: false, quiet: false, human: true }],
  [
    'docker image history -q --no-trunc -H=false --format {{.ID}} nginx',
    { name: 'history', image: 'nginx', noTrunc: true, quiet: true, human: false, format: '{{.ID}}' },
  ],
  ['docker events', { name: 'events', filters: [] }],
  [
    'docker system events --since 10m --until 0s -f type=container --format json',
    { name: 'events', since: '10m', until: '0s', filters: ['type=container'], format: 'json' },
  ],
  ['docker version', { name: 'version' }],
  ['docker info', { name: 'info' }],
  ['docker system info --format {{.ID}}', { name: 'info', format: '{{.ID}}' }],
];

describe('image and system commands', () => {
  it.each(IMAGE_CASES)('%s', (line, expected) => {
    expect(command(line)).toStrictEqual(expected);
  });
});

describe('the outcome', () => {
  it('returns the words after docker as argv, root flags included', () => {
    expect(parseDockerLine(`docker -D ps -a  # all`)).toStrictEqual({
      ok: true,
      command: {
        name: 'ps',
        all: true,
        quiet: false,
        noTrunc: false,
        latest: false,
        size: false,
        filters: [],
      },
      argv: ['-D', 'ps', '-a'],
      ignoredFlags: ['--debug'],
    });
  });
});
