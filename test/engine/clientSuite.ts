// The client's engine suite, written against any daemon that speaks the Engine API on a unix
// socket: `start` returns the daemon under test (a private dockerd today, the dockstep engine
// later). Images come from a real docker-registry on loopback, pushed there by skopeo; where a
// docker CLI is installed, each command's output is compared with docker's own for the same
// command against the same daemon.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sha256 } from '../../engine/image/digest.ts';
import { MediaType } from '../../engine/image/oci.ts';
import { hostPlatform } from '../../engine/image/platform.ts';
import { realSuite, type Need } from './helpers/caps.ts';
import {
  buildLayer,
  busyboxLayers,
  skopeoCopy,
  skopeoInspect,
  writeImage,
  writeLayoutIndex,
} from './helpers/images.ts';
import { startRegistry, type Registry } from './helpers/registry.ts';
import { client, docker, DOCKER_CLI, lineSet, type Run } from './clientRun.ts';
import { authCases } from './clientAuth.ts';
import { clientErrorCases } from './clientErrors.ts';

export interface DaemonUnderTest {
  /** unix:///… */
  host: string;
  stop(): Promise<void>;
}

export interface ClientSuiteOptions {
  needs?: readonly Need[];
  /** The daemon answers dockstep's own endpoints (`image tree`). */
  dockstepEndpoints: boolean;
}

export interface SuiteContext {
  host: string;
  home: string;
  reg: string;
  busybox: string;
  dated: string;
  dir: string;
  cmp(args: string[]): Promise<{ ours: Run; theirs: Run | undefined }>;
}

/** A one-layer image whose config says it was created two hours ago (for "2 hours ago"). */
function writeDatedImage(dir: string, createdSec: number): { digest: string; size: number } {
  const put = (bytes: Buffer): { digest: string; size: number } => {
    const digest = sha256(bytes);
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const layer = buildLayer([
    { entry: { path: 'hello.txt', mode: 0o644, mtime: createdSec }, data: Buffer.from('hi\n') },
  ]);
  put(layer.blob);
  const p = hostPlatform();
  const created = new Date(createdSec * 1000).toISOString();
  const config = put(
    Buffer.from(
      JSON.stringify({
        architecture: p.architecture,
        os: p.os,
        created,
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
        history: [{ created, created_by: 'COPY hello.txt / # buildkit', comment: 'buildkit.dockerfile.v0' }],
      }),
    ),
  );
  return put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, ...config },
        layers: [{ mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.size }],
      }),
    ),
  );
}

async function seedRegistry(reg: Registry, dir: string): Promise<void> {
  const layout = join(dir, 'layout');
  const img = writeImage(
    layout,
    busyboxLayers().map((l) => buildLayer(l)),
  );
  writeLayoutIndex(layout, 'v1', { mediaType: MediaType.ociManifest, ...img.manifest });
  await skopeoCopy(layout, 'v1', `${reg.host}/library/busybox:v1`, { format: 'v2s2' });
  const dated = writeDatedImage(layout, Math.floor(Date.now() / 1000) - 2 * 3600 - 60);
  writeLayoutIndex(layout, 'd1', { mediaType: MediaType.ociManifest, ...dated });
  await skopeoCopy(layout, 'd1', `${reg.host}/test/dated:d1`);
}

/**
 * The suite against the daemon `start` brings up: a handle that stops it, or just its host URL
 * (a daemon the suite does not own).
 */
export function clientSuite(
  name: string,
  start: () => Promise<DaemonUnderTest | string>,
  o: ClientSuiteOptions,
): void {
  const needs: Need[] = ['root', 'registry', 'skopeo', 'busybox', ...(o.needs ?? [])];
  realSuite(name, needs, () => {
    let daemon: DaemonUnderTest | undefined;
    let registry: Registry | undefined;
    const ctx = { dir: '' } as SuiteContext;

    beforeAll(async () => {
      ctx.dir = mkdtempSync(join(tmpdir(), 'dockstep-client-'));
      ctx.home = join(ctx.dir, 'home');
      mkdirSync(ctx.home);
      registry = await startRegistry();
      ctx.reg = registry.host;
      await seedRegistry(registry, ctx.dir);
      const started = await start();
      daemon = typeof started === 'string' ? { host: started, stop: async () => undefined } : started;
      ctx.host = daemon.host;
      ctx.busybox = `${ctx.reg}/library/busybox:v1`;
      ctx.dated = `${ctx.reg}/test/dated:d1`;
      ctx.cmp = async (args) => ({
        ours: await client(ctx.host, args, { home: ctx.home }),
        theirs: DOCKER_CLI === undefined ? undefined : await docker(ctx.host, args, ctx.home),
      });
    }, 180_000);

    afterAll(async () => {
      await daemon?.stop();
      await registry?.stop();
      if (ctx.dir !== '') rmSync(ctx.dir, { recursive: true, force: true });
    }, 60_000);

    imageLifecycle(ctx);
    listCases(ctx);
    transferCases(ctx);
    clientErrorCases(ctx, o.dockstepEndpoints);
    authCases(ctx);
    if (o.dockstepEndpoints) treeCases(ctx);
  });
}

/** Same stdout, stderr and status as docker, when a docker CLI is there to ask. */
export function expectSameAsDocker(r: { ours: Run; theirs: Run | undefined }): void {
  if (r.theirs === undefined) return;
  expect({ stdout: r.ours.stdout, stderr: r.ours.stderr, code: r.ours.code }).toEqual({
    stdout: r.theirs.stdout,
    stderr: r.theirs.stderr,
    code: r.theirs.code,
  });
}

/** The pull's lines without the per-layer ones, whose order depends on the transfers' timing. */
function pullShape(stdout: string): string[] {
  return stdout.split('\n').filter((l) => !/^[0-9a-f]{12}: /.test(l));
}

function imageLifecycle(ctx: SuiteContext): void {
  const run = (args: string[]): Promise<Run> => client(ctx.host, args, { home: ctx.home });

  it('pulls with the progress docker prints, then finds the image up to date', async () => {
    const ours = await run(['pull', ctx.busybox]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(pullShape(ours.stdout)).toEqual([
      'v1: Pulling from library/busybox',
      expect.stringMatching(/^Digest: sha256:[0-9a-f]{64}$/),
      `Status: Downloaded newer image for ${ctx.busybox}`,
      ctx.busybox,
      '',
    ]);
    expect(ours.stdout).toMatch(/^[0-9a-f]{12}: Pull complete$/m);
    if (DOCKER_CLI !== undefined) {
      // docker pulls the same image fresh. dockerd drops a layer's status when a newer one
      // supersedes it before it is written (a "Verifying Checksum" may be missing), so only the
      // lines that always come are compared: the others, and each layer's first and last.
      expect((await run(['rmi', ctx.busybox])).code).toBe(0);
      const theirs = await docker(ctx.host, ['pull', ctx.busybox], ctx.home);
      expect(pullShape(ours.stdout)).toEqual(pullShape(theirs.stdout));
      const layers = (s: string): string[] =>
        lineSet(s).filter((l) => / (Pulling fs layer|Pull complete)$/.test(l));
      expect(layers(ours.stdout)).toEqual(layers(theirs.stdout));
      expect(layers(ours.stdout)).toHaveLength(8);
    }
    expectSameAsDocker(await ctx.cmp(['pull', ctx.busybox]));
    expect((await run(['pull', '-q', ctx.busybox])).stdout).toBe(`${ctx.busybox}\n`);
    const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(ours.stdout)?.[1] ?? '';
    const byDigest = await ctx.cmp(['pull', `${ctx.reg}/library/busybox@${digest}`]);
    expect(byDigest.ours.stdout.endsWith(`${ctx.reg}/library/busybox@${digest}\n`)).toBe(true);
    expectSameAsDocker(byDigest);
    expectSameAsDocker(await ctx.cmp(['pull', '--platform', 'linux/amd64', ctx.busybox]));
  });
}

function listCases(ctx: SuiteContext): void {
  const run = (args: string[]): Promise<Run> => client(ctx.host, args, { home: ctx.home });

  it('lists images as docker does, with "2 hours ago" and N/A', async () => {
    // On a terminal: each layer's line is rewritten in place (cursor up, clear, status, down).
    const tty = await client(ctx.host, ['pull', ctx.dated], { home: ctx.home, tty: true });
    expect(tty.code, tty.stderr).toBe(0);
    const shown = tty.stdout.replaceAll('\x1b', 'ESC');
    expect(shown).toMatch(/\nESC\[1AESC\[2K\r[0-9a-f]{12}: Pulling fs layer \rESC\[1B/);
    expect(shown).toMatch(/ESC\[1AESC\[2K\r[0-9a-f]{12}: Pull complete \rESC\[1B/);
    expect(tty.stdout.endsWith(`Status: Downloaded newer image for ${ctx.dated}\n${ctx.dated}\n`)).toBe(true);
    const r = await ctx.cmp(['images']);
    expectSameAsDocker(r);
    expect(r.ours.stdout).toMatch(
      new RegExp(`^${ctx.reg}/test/dated +d1 +[0-9a-f]{12} +2 hours ago +\\S+$`, 'm'),
    );
    expect(r.ours.stdout).toMatch(/ N\/A +1\.98MB$/m);
    for (const args of [
      ['images', '-q'],
      ['images', '--digests'],
      ['images', '--no-trunc'],
      ['images', '-a'],
    ]) {
      expectSameAsDocker(await ctx.cmp(args));
    }
    expectSameAsDocker(await ctx.cmp(['images', `${ctx.reg}/test/dated`]));
  });

  it('tags, and shows the history as docker does', async () => {
    const tagged = await run(['tag', ctx.busybox, `${ctx.reg}/pushed/bb:p1`]);
    expect(tagged).toMatchObject({ stdout: '', stderr: '', code: 0 });
    // The reference filter keeps only the matching names of an image (dockerd's RepoTags filtering).
    const listed = (await run(['images', `${ctx.reg}/pushed/bb`])).stdout.trimEnd().split('\n');
    expect(listed).toHaveLength(2);
    expect(listed[1]).toMatch(new RegExp(`^${ctx.reg}/pushed/bb +p1 +[0-9a-f]{12} `));
    for (const args of [['history'], ['history', '--no-trunc'], ['history', '-q']]) {
      expectSameAsDocker(await ctx.cmp([...args, ctx.busybox]));
      expectSameAsDocker(await ctx.cmp([...args, ctx.dated]));
    }
    expect((await run(['history', ctx.dated])).stdout).toMatch(
      /2 hours ago +COPY hello\.txt \/ # buildkit +3B +buildkit/,
    );
  });
}

function transferCases(ctx: SuiteContext): void {
  const run = (args: string[]): Promise<Run> => client(ctx.host, args, { home: ctx.home });

  it('pushes, and the registry holds what it printed', async () => {
    const r = await run(['push', `${ctx.reg}/pushed/bb:p1`]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`The push refers to repository [${ctx.reg}/pushed/bb]`);
    const last = /^p1: digest: (sha256:[0-9a-f]{64}) size: (\d+)$/.exec(lines.at(-1) ?? '');
    expect(last).not.toBeNull();
    expect(lines.filter((l) => / Preparing$/.test(l))).toHaveLength(4);
    const raw = await skopeoInspect(`${ctx.reg}/pushed/bb:p1`, true);
    expect((raw['layers'] as unknown[]).length).toBe(4);
    const inspected = await skopeoInspect(`${ctx.reg}/pushed/bb:p1`);
    expect(inspected['Digest']).toBe(last?.[1]);
    // Pushed again, every layer is already there: the same lines from docker and from us.
    const again = await ctx.cmp(['push', `${ctx.reg}/pushed/bb:p1`]);
    expect(again.ours.code).toBe(0);
    if (again.theirs !== undefined) expect(lineSet(again.ours.stdout)).toEqual(lineSet(again.theirs.stdout));
  });

  it('saves with -o and loads with -i: the same bytes as docker save, the image back', async () => {
    const file = join(ctx.dir, 'bb.tar');
    expect(await run(['save', '-o', file, ctx.busybox])).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    if (DOCKER_CLI !== undefined) {
      const theirs = join(ctx.dir, 'bb-docker.tar');
      expect((await docker(ctx.host, ['save', '-o', theirs, ctx.busybox], ctx.home)).code).toBe(0);
      expect(sha256(readFileSync(file))).toBe(sha256(readFileSync(theirs)));
    }
    const piped = await client(ctx.host, ['save', ctx.busybox], { home: ctx.home });
    expect(sha256(piped.bytes)).toBe(sha256(readFileSync(file)));
    const before = (await run(['history', '--no-trunc', ctx.busybox])).stdout;
    expect((await run(['rmi', '-f', ctx.busybox, `${ctx.reg}/pushed/bb:p1`])).code).toBe(0);
    expect((await run(['images', '-q', ctx.busybox])).stdout).toBe('');
    const loaded = await run(['load', '-i', file]);
    expect(loaded).toMatchObject({ stdout: `Loaded image: ${ctx.busybox}\n`, code: 0 });
    expect((await run(['history', '--no-trunc', ctx.busybox])).stdout).toBe(before);
    const fromStdin = await client(ctx.host, ['load', '-q'], { home: ctx.home, stdin: readFileSync(file) });
    expect(fromStdin.stdout).toBe(`Loaded image: ${ctx.busybox}\n`);
    expectSameAsDocker(await ctx.cmp(['load', '-i', file]));
  });

  it('removes images: Untagged lines, then Deleted lines for the last reference', async () => {
    expect((await run(['tag', ctx.dated, `${ctx.reg}/test/dated:second`])).code).toBe(0);
    expect(await run(['rmi', `${ctx.reg}/test/dated:second`])).toMatchObject({
      stdout: `Untagged: ${ctx.reg}/test/dated:second\n`,
      code: 0,
    });
    const r = await run(['rmi', ctx.dated]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Untagged: ${ctx.dated}`);
    expect(lines[1]).toMatch(new RegExp(`^Untagged: ${ctx.reg}/test/dated@sha256:[0-9a-f]{64}$`));
    expect(lines.slice(2).every((l) => /^Deleted: sha256:[0-9a-f]{64}$/.test(l))).toBe(true);
    expect(lines.length).toBeGreaterThan(3);
    expect((await run(['images', '-q', `${ctx.reg}/test/dated`])).stdout).toBe('');
  });
}

function treeCases(ctx: SuiteContext): void {
  it('lists the merged root file system of an image (whiteouts and opaque dirs applied)', async () => {
    const r = await client(ctx.host, ['image', 'tree', ctx.busybox], { home: ctx.home });
    expect(r.code, r.stderr).toBe(0);
    const paths = r.stdout.trimEnd().split('\n');
    expect(paths).toEqual(
      expect.arrayContaining(['/bin', '/bin/busybox', '/etc/conf.d/c.conf', '/app/hello.sh']),
    );
    expect(paths).not.toContain('/etc/old.conf');
    expect(paths).not.toContain('/etc/conf.d/a.conf');
    const etc = await client(ctx.host, ['image', 'tree', ctx.busybox, '/etc'], { home: ctx.home });
    expect(
      etc.stdout
        .trimEnd()
        .split('\n')
        .every((p) => p.startsWith('/etc')),
    ).toBe(true);
  });
}
