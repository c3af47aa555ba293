// The client's refusals against a real daemon, each compared with the docker CLI's for the same
// command: the daemon's HTTP errors ("Error response from daemon: …"), errors inside a progress
// stream, the client's own checks before any request, and an engine that is not there.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { client, DOCKER_CLI } from './clientRun.ts';
import { expectSameAsDocker, type SuiteContext } from './clientSuite.ts';

export function clientErrorCases(ctx: SuiteContext, dockstepEndpoints: boolean): void {
  it('prints the daemon errors as docker does, exit status 1', async () => {
    const cases = [
      ['history', 'nosuch'],
      ['tag', 'nosuch', 'x'],
      ['rmi', 'nosuch', 'nosuch2'],
      ['save', 'nosuch'],
      ['pull', `${ctx.reg}/library/nope:v1`],
      // A name alone gets ":latest", which the registry does not have.
      ['pull', `${ctx.reg}/library/busybox`],
    ];
    for (const args of cases) {
      const r = await ctx.cmp(args);
      expect(r.ours.code, args.join(' ')).toBe(1);
      expect(r.ours.stderr).toMatch(/^Error response from daemon: /);
      expectSameAsDocker(r);
    }
  });

  it('stops at an error inside the push stream, as docker does', async () => {
    const r = await ctx.cmp(['push', `${ctx.reg}/library/busybox:nope`]);
    expect(r.ours.code).toBe(1);
    expect(r.ours.stdout).toBe(`The push refers to repository [${ctx.reg}/library/busybox]\n`);
    expectSameAsDocker(r);
  });

  it('refuses what the docker CLI refuses before any request', async () => {
    const cases = [
      ['pull', 'BAD'],
      ['tag', 'busybox', 'BAD:x'],
      ['tag', 'busybox', 'x@sha256:' + '0'.repeat(64)],
      ['load', '-i', join(ctx.dir, 'absent.tar')],
    ];
    for (const args of cases) {
      const r = await ctx.cmp(args);
      expect(r.ours.code, args.join(' ')).toBe(1);
      expectSameAsDocker(r);
    }
  });

  localErrorCases(ctx, dockstepEndpoints);
}

function localErrorCases(ctx: SuiteContext, dockstepEndpoints: boolean): void {
  it('reports a broken tarball from the load stream', async () => {
    const r = await client(ctx.host, ['load'], { home: ctx.home, stdin: Buffer.from('garbage\n') });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toBe('');
  });

  it('never writes a tarball to a terminal, nor reads one from it', async () => {
    const save = await client(ctx.host, ['save', 'busybox'], { home: ctx.home, tty: true });
    expect(save).toMatchObject({
      stdout: '',
      stderr: 'cowardly refusing to save to a terminal. Use the -o flag or redirect\n',
      code: 1,
    });
    const load = await client(ctx.host, ['load'], { home: ctx.home, stdinTTY: true });
    expect(load).toMatchObject({ stderr: 'requested load from stdin, but stdin is empty\n', code: 1 });
  });

  it('says when the engine is not there', async () => {
    const host = `unix://${join(ctx.dir, 'none.sock')}`;
    const r = await client(host, ['images'], { home: ctx.home });
    expect(r).toMatchObject({
      stdout: '',
      stderr: `Cannot connect to the dockstep engine at ${host}. Is the engine running?\n`,
      code: 1,
    });
  });

  if (!dockstepEndpoints) {
    it('gets dockerd’s 404 for dockstep’s own endpoint', async () => {
      const r = await client(ctx.host, ['image', 'tree', 'busybox'], { home: ctx.home });
      expect(r).toMatchObject({ stderr: 'Error response from daemon: page not found\n', code: 1 });
    });
  }

  it('compares with a docker CLI here', () => {
    if (process.env['CI'] === 'true') expect(DOCKER_CLI).toBeDefined();
  });
}
