// X-Registry-Auth end to end: a registry behind a token server that only accepts alice:pw.
// Without credentials the push fails inside the stream with the registry's text, as docker's
// does; with alice's entry in config.json the push succeeds and the token server saw her name.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, startTokenServer, type Registry, type TokenServer } from './helpers/registry.ts';
import { client, writeCredentials } from './clientRun.ts';
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
  });
}
