// docker events for one image's whole life — pull, tag, push, save, rmi, load, rmi — from a
// private dockerd 20.10 and from the dockstep engine, driven by the same docker CLI commands
// against one loopback registry: both answer the same events, in the same order, naming the same
// actors. (The engine's pull and tag events come from its machines' trace, the rest from its
// handlers: the comparison holds either way.)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { pushTestImages } from './helpers/daemonImages.ts';
import { startDockerd } from './helpers/dockerd.ts';
import { DOCKER, startEngine } from './helpers/engine.ts';
import { startRegistry, type Registry } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

const exec = promisify(execFile);
const work = tempDir('events-parity');
let registry: Registry;

/** The docker CLI against `host`, failing the test on a failed command. */
async function docker(host: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec(DOCKER, args, {
    env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(work.path, 'docker-config') },
  });
  return stdout;
}

/** The life of one image on a daemon, and the events it answered for it. */
async function lifeOf(host: string, tag: string): Promise<string[]> {
  const image = `${registry.host}/busybox:v1`;
  const copy = `${registry.host}/copy:${tag}`;
  const archive = join(work.path, `${tag}.tar`);
  const since = (Date.now() / 1000 - 1).toFixed(3);
  await docker(host, 'pull', image);
  await docker(host, 'tag', image, copy);
  await docker(host, 'push', copy);
  await docker(host, 'save', '-o', archive, copy);
  await docker(host, 'rmi', copy);
  await docker(host, 'load', '-i', archive);
  await docker(host, 'rmi', copy, image);
  const until = (Date.now() / 1000 + 1).toFixed(3);
  const out = await docker(
    host,
    'events',
    '--since',
    since,
    '--until',
    until,
    '--format',
    '{{.Type}} {{.Action}} {{.Actor.ID}} name={{.Actor.Attributes.name}}',
  );
  return out.trim().split('\n');
}

realSuite(
  'docker events: the dockstep engine against a private dockerd',
  ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr', 'docker'],
  () => {
    beforeAll(async () => {
      registry = await startRegistry();
      await pushTestImages(registry.host, work.path);
    }, 120_000);
    afterAll(async () => {
      await registry?.stop();
      work.remove();
    });

    it('answers the same events as dockerd for pull, tag, push, save, rmi, load and rmi', async () => {
      const dockerd = await startDockerd();
      let theirs: string[];
      try {
        theirs = await lifeOf(dockerd.host, 'dockerd');
      } finally {
        await dockerd.stop();
      }
      const engine = await startEngine();
      let ours: string[];
      try {
        ours = await lifeOf(engine.host, 'engine');
      } finally {
        await engine.stop();
      }
      // The copy's tag is the daemon's name: the rest is the same.
      expect(ours.map((l) => l.replaceAll(':engine', ':TAG'))).toEqual(
        theirs.map((l) => l.replaceAll(':dockerd', ':TAG')),
      );
      expect(theirs.map((l) => l.split(' ')[1])).toEqual(
        expect.arrayContaining(['pull', 'tag', 'push', 'save', 'untag', 'load', 'delete']),
      );
    });
  },
);
