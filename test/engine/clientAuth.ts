// X-Registry-Auth end to end: a registry behind a token server that only accepts alice:pw.
// Without credentials the push fails inside the stream with the registry's text, as docker's
// does; with alice's entry in config.json the push succeeds and the token server saw her name.
// And `docker login` (POST /auth) against that registry, a Basic one and one that is down: the
// same answers from every daemon the suite runs against (a private dockerd and the engine).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry } from './helpers/fakeRegistry.ts';
import {
  freePort,
  startRegistry,
  startTokenServer,
  type Registry,
  type TokenServer,
} from './helpers/registry.ts';
import { client, docker, DOCKER_CLI, writeCredentials, type Run } from './clientRun.ts';
import { expectSameAsDocker, type SuiteContext } from './clientSuite.ts';

export function authCases(ctx: SuiteContext): void {
  describe('with a registry that wants credentials', () => {
    let tokens: TokenServer | undefined;
    let registry: Registry | undefined;
    const home = (): string => join(ctx.dir, 'home');

    beforeAll(async () => {
      tokens = await startTokenServer({ alice: 'pw' });
      registry = await startRegistry({ realm: tokens.realm });
    });

    afterAll(async () => {
      await registry?.stop();
      await tokens?.stop();
      rmSync(join(home(), '.docker'), { recursive: true, force: true });
    });

    it('fails without credentials as docker does, and pushes with config.json ones', async () => {
      const target = `${registry?.host}/private/bb:a1`;
      expect((await client(ctx.host, ['pull', '-q', ctx.busybox], { home: home() })).code).toBe(0);
      expect((await client(ctx.host, ['tag', ctx.busybox, target], { home: home() })).code).toBe(0);
      const refused = await ctx.cmp(['push', target]);
      expect(refused.ours.code).toBe(1);
      expect(refused.ours.stderr).toBe('unauthorized: incorrect username or password\n');
      expectSameAsDocker(refused);
      writeCredentials(home(), registry?.host ?? '', 'alice', 'pw');
      const pushed = await client(ctx.host, ['push', target], { home: home() });
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(pushed.stdout).toMatch(/^a1: digest: sha256:[0-9a-f]{64} size: \d+$/m);
      expect(tokens?.requests.some((r) => r.user === 'alice')).toBe(true);
      const pulled = await ctx.cmp(['pull', target]);
      expect(pulled.ours.stdout).toContain(`Status: Image is up to date for ${target}\n`);
      expectSameAsDocker(pulled);
    });

    loginCases(ctx, { home, registry: () => registry, tokens: () => tokens });
  });
}

/** What the login cases share with the push cases: the home and the token-guarded registry. */
interface AuthWorld {
  home(): string;
  registry(): Registry | undefined;
  tokens(): TokenServer | undefined;
}

/** `docker login` needs the docker CLI: without it the cases are skipped off CI, and fail on CI. */
const withDocker = DOCKER_CLI === undefined && process.env['CI'] !== 'true' ? it.skip : it;

function loginCases(ctx: SuiteContext, world: AuthWorld): void {
  const { home } = world;
  withDocker('logs in as docker login does: checked against the registry, refused in its words', async () => {
    const login = (server: string, user: string, password: string): Promise<Run> =>
      docker(ctx.host, ['login', server, '-u', user, '-p', password], home());
    const ok = await login(world.registry()?.host ?? '', 'alice', 'pw');
    expect(ok.stdout, ok.stderr).toBe('Login Succeeded\n');
    expect(ok.code).toBe(0);
    expect(world.tokens()?.requests.at(-1)).toEqual({ service: 'test', scopes: [], user: 'alice' });
    const bad = await login(world.registry()?.host ?? '', 'alice', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `Error response from daemon: Get "http://${world.registry()?.host}/v2/": unauthorized: incorrect username or password\n`,
    );
    const port = await freePort();
    const down = await login(`127.0.0.1:${port}`, 'alice', 'pw');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(
      `Error response from daemon: Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused\n`,
    );
  });

  withDocker(
    'logs in to a registry that asks for Basic credentials, and is refused with the wrong ones',
    async () => {
      const fake = await startFakeRegistry({ basic: { username: 'carol', password: 'pw' } });
      try {
        const ok = await docker(ctx.host, ['login', fake.host, '-u', 'carol', '-p', 'pw'], home());
        expect(ok.stdout, ok.stderr).toBe('Login Succeeded\n');
        const bad = await docker(ctx.host, ['login', fake.host, '-u', 'carol', '-p', 'bad'], home());
        expect(bad.code).toBe(1);
        expect(bad.stderr).toContain(
          `Error response from daemon: login attempt to http://${fake.host}/v2/ failed with status: 401 Unauthorized\n`,
        );
      } finally {
        await fake.stop();
      }
    },
  );
}
