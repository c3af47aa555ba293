// The client's command line: docker/cli 28's usage texts and exit statuses with "dockstep",
// the global --host, and the registry credentials of a docker config file.
import { describe, expect, it } from 'vitest';
import { parseVerb, splitInvocation, UsageFailure, isClientCommand } from '../../engine/client/args.ts';
import { registryAuthFrom } from '../../engine/client/auth.ts';
import { negotiatedVersion, resolveHost, ConnectError } from '../../engine/client/engine.ts';

function failure(run: () => unknown): UsageFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageFailure) return error;
    throw error;
  }
  throw new Error('expected a usage failure');
}

describe('client argv', () => {
  it('wrong argument counts: docker 28 texts, exit 1', () => {
    // docker 28.2.2: "docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'docker pull --help' for more information"
    const pull = failure(() => parseVerb('pull', []));
    expect(pull.text).toBe(
      "dockstep: 'dockstep pull' requires 1 argument\n\nUsage:  dockstep pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'dockstep pull --help' for more information\n",
    );
    expect(pull.exitCode).toBe(1);
    expect(failure(() => parseVerb('rmi', [])).text).toContain(
      "requires at least 1 argument\n\nUsage:  dockstep rmi [OPTIONS] IMAGE [IMAGE...]\n\nSee 'dockstep rmi --help'",
    );
    // The stray "S" is docker's own (cli/required.go RequiresMaxArgs in 28.2.2).
    expect(failure(() => parseVerb('images', ['a', 'b'])).text).toContain(
      "\n\nSRun 'dockstep images --help'",
    );
    expect(failure(() => parseVerb('load', ['x'])).text).toContain(
      "dockstep: 'dockstep load' accepts no arguments",
    );
    expect(failure(() => parseVerb('tag', ['a'])).text).toContain("'dockstep tag' requires 2 arguments");
    expect(failure(() => parseVerb('image tree', [])).text).toContain(
      'requires at least 1 and at most 2 arguments',
    );
  });

  it('flag errors: pflag texts, exit 125', () => {
    const bogus = failure(() => parseVerb('pull', ['--bogus', 'x']));
    expect(bogus.text).toBe(
      "unknown flag: --bogus\n\nUsage:  dockstep pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'dockstep pull --help' for more information\n",
    );
    expect(bogus.exitCode).toBe(125);
    expect(failure(() => parseVerb('images', ['-z'])).text).toMatch(/^unknown shorthand flag: 'z' in -z\n/);
    expect(failure(() => parseVerb('save', ['-o'])).text).toMatch(/^flag needs an argument: 'o' in -o\n/);
  });

  it('--help goes to stdout with exit 0', () => {
    const help = failure(() => parseVerb('save', ['--help']));
    expect(help.exitCode).toBe(0);
    expect(help.toStdout).toBe(true);
    expect(help.text).toContain('Usage:  dockstep save [OPTIONS] IMAGE [IMAGE...]');
    expect(help.text).toContain('-o, --output string');
  });
});

describe('client argv values and global flags', () => {
  it('reads flags anywhere among the arguments, history --human defaulting to true', () => {
    const p = parseVerb('images', ['busybox', '-a', '--digests']);
    expect(p.args).toEqual(['busybox']);
    expect([p.values.bool('all'), p.values.bool('digests'), p.values.bool('quiet')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(parseVerb('history', ['x']).values.bool('human', true)).toBe(true);
    expect(parseVerb('history', ['-H=false', 'x']).values.bool('human', true)).toBe(false);
    expect(parseVerb('pull', ['--platform', 'linux/arm64', 'x']).values.string('platform')).toBe(
      'linux/arm64',
    );
  });

  it('splits the global host from the verb', () => {
    expect(splitInvocation(['-H', 'unix:///a.sock', 'images', '-q'])).toEqual({
      host: 'unix:///a.sock',
      verb: 'images',
      rest: ['-q'],
    });
    expect(splitInvocation(['--host=unix:///b', 'image', 'tree', 'x', '/etc'])).toEqual({
      host: 'unix:///b',
      verb: 'image tree',
      rest: ['x', '/etc'],
    });
    expect(failure(() => splitInvocation(['image', 'ls'])).exitCode).toBe(1);
    expect(failure(() => splitInvocation(['-H'])).exitCode).toBe(125);
    expect(isClientCommand(['pull', 'x'])).toBe(true);
    expect(isClientCommand(['sim', 'x'])).toBe(false);
  });
});

describe('client host and API version', () => {
  it('takes --host, then DOCKSTEP_HOST, then the default socket; only unix://', () => {
    expect(resolveHost('unix:///x', { DOCKSTEP_HOST: 'unix:///y' })).toBe('unix:///x');
    expect(resolveHost(undefined, { DOCKSTEP_HOST: 'unix:///y' })).toBe('unix:///y');
    expect(resolveHost(undefined, {})).toBe('unix:///run/dockstep/dockstep.sock');
    expect(() => resolveHost('tcp://1.2.3.4:2375', {})).toThrow(ConnectError);
  });

  it('speaks min(1.44, the daemon): 1.41 to dockerd 20.10, 1.24 without a header', () => {
    expect(negotiatedVersion('1.41')).toBe('1.41');
    expect(negotiatedVersion('1.50')).toBe('1.44');
    expect(negotiatedVersion('1.44')).toBe('1.44');
    expect(negotiatedVersion('1.9')).toBe('1.9');
    expect(negotiatedVersion(undefined)).toBe('1.24');
  });
});

describe('X-Registry-Auth from config.json', () => {
  const config = JSON.stringify({
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
      '127.0.0.1:5000': { auth: Buffer.from('me:s:ecret').toString('base64') },
    },
  });
  const decode = (v: string | undefined): unknown => JSON.parse(Buffer.from(v ?? '', 'base64url').toString());

  it('sends the entry of the image registry, base64url JSON', () => {
    expect(decode(registryAuthFrom(config, '127.0.0.1:5000/app:1'))).toEqual({
      username: 'me',
      password: 's:ecret',
      serveraddress: '127.0.0.1:5000',
    });
    expect(decode(registryAuthFrom(config, 'busybox'))).toEqual({
      username: 'hub',
      password: 'pw',
      serveraddress: 'https://index.docker.io/v1/',
    });
  });

  it('pads the value as Go base64.URLEncoding does (dockerd drops an unpadded tail)', () => {
    const value = registryAuthFrom(config, '127.0.0.1:5000/app:1') ?? '';
    expect(value).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(value.length % 4).toBe(0);
  });

  it('sends nothing for another registry or a broken file', () => {
    expect(registryAuthFrom(config, 'quay.io/x/y')).toBeUndefined();
    expect(registryAuthFrom('{not json', 'busybox')).toBeUndefined();
    expect(registryAuthFrom('{}', 'busybox')).toBeUndefined();
  });
});
