import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/views/mermaid.ts';
import { draft } from '../../src/layers/post.ts';
import { readArchive } from '../../src/model/imageArchive.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { expectSameAsRealEngine, loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * docker save, docker load and docker login against dockerd 20.10.24 (x-save-login.txt, and
 * y-load-login.txt recorded by record-load-login.sh: a private daemon, a registry on loopback
 * with htpasswd written REG). The console has no shell: a redirect or a pipe is written as the
 * command the console runs for it (`docker load < f` posts the same bytes as `docker load -i f`;
 * the console's stdin is empty, as `</dev/null` makes it). Left out: a pipe into
 * `--password-stdin`, a wrong password and an unreachable registry (the simulation's registries
 * accept any credentials, and a host they do not know is answered as Docker Hub).
 */
const SIM_ID = 'a2fadddfcffb'; // busybox's id in the simulation (its config digest, 20.10)

const REWRITE: Record<string, string> = {
  'docker load < busybox.tar': 'docker load -i busybox.tar',
  'docker save -o byid.tar $(docker images -q busybox)': `docker save -o byid.tar ${SIM_ID}`,
  'echo hello > notatar.txt; docker load -i notatar.txt': 'docker load -i notatar.txt',
  'docker load < /dev/null': 'docker load',
  'docker login -u alice REG </dev/null': 'docker login -u alice REG',
};
const rewrite = (line: string): string => (REWRITE[line] ?? line).replaceAll('REG', 'localhost:5000');

const LEFT_OUT = /^(script |echo pw \||docker login -u alice -p (wrong|pw 127\.0\.0\.1:1))/;
const IMAGES = (line: string): boolean => !LEFT_OUT.test(line) && !/login|logout/.test(line);
const LOGINS = (line: string): boolean => !LEFT_OUT.test(line) && /login|logout/.test(line);
// `docker load < /dev/null`: dockerd's temporary directory has a random name.
const EMPTY_INPUT = loadFixture('y-load-login.txt', IMAGES).findIndex(
  (s) => s.line === 'docker load < /dev/null',
);
// `docker images --format` prints the simulation's table (a format it does not apply): its stdout is left out.
const LISTING = loadFixture('y-load-login.txt', IMAGES).findIndex((s) => s.line.startsWith('docker images'));

describe('fidelity: docker save and docker load', () => {
  it('saves, loads from a file and from stdin, by name and by id, and fails as 20.10 does', () => {
    const { sim } = expectSameAsRealEngine('y-load-login.txt', IMAGES, {
      rewrite,
      files: { '/tmp/sim17c/notatar.txt': 'hello\n' },
      cwd: '/tmp/sim17c',
      noNetwork: true,
      skipOutput: [EMPTY_INPUT],
      skipStdout: [LISTING],
    });
    expect(sim.steps[LISTING]?.stdout).toMatch(/\n<none> +<none> +<H\d+> /);
    expect(sim.steps[EMPTY_INPUT]?.line).toBe('docker load');
    const [empty] = simulate(['docker load'], { setup: [] });
    expect(empty?.exitCode).toBe(1);
    expect(empty?.stderr).toMatch(
      /^open \/var\/lib\/docker\/tmp\/docker-import-\d+\/repositories: no such file or directory\n$/,
    );
    const real = loadFixture('y-load-login.txt').find((s) => s.line === 'docker load < /dev/null');
    expect(real?.stderr).toMatch(
      /^open BASE\/data\/tmp\/docker-import-\d+\/repositories: no such file or directory\n$/,
    );
  });

  it('x-save-login: one names per argument, an unknown name refused before any file is written', () => {
    expectSameAsRealEngine('x-save-login.txt', (line) => line.startsWith('docker save'), {
      noNetwork: true,
      files: {},
      cwd: '/tmp/sim17c',
    });
    const trace = new Simulation(['docker pull busybox', 'docker save -o two.tar busybox busybox:latest'], {
      profile: 'classic',
    }).runToEnd();
    const calls = messagesOf(trace).map((m) => m.call);
    expect(calls).toContain('GET /v1.41/images/get?names=busybox&names=busybox%3Alatest');
  });

  it('writes the docker-archive 20.10 writes: the same entries as `tar -tf`', () => {
    const real = loadFixture('x-save-login.txt').find((s) => s.line.startsWith('tar -tf'));
    const shape = (paths: string[]) =>
      paths
        .filter((p) => !p.endsWith('/'))
        .map((p) => p.replace(/[0-9a-f]{64}/g, 'H'))
        .sort();
    const files: Record<string, string> = {};
    const sim = new Simulation(['docker pull busybox', 'docker save -o /tmp/bb.tar busybox'], {
      profile: 'classic',
      files,
    });
    const trace = sim.runToEnd();
    const reply = messagesOf(trace).find((m) => m.op === 'api.images.get' && m.kind === 'reply');
    const tar = String((reply?.payload as { tar?: string } | undefined)?.tar ?? '');
    const entries = Object.keys(
      (JSON.parse(tar) as Record<string, Record<string, unknown>>)['dockstep-tar'] ?? {},
    );
    expect(shape(entries)).toEqual(shape((real?.stdout ?? '').trim().split('\n')));
    expect(readArchive(tar)).toMatchObject([{ names: ['docker.io/library/busybox:latest'] }]);
  });
});

describe('fidelity: docker login', () => {
  it('warns, asks dockerd, stores the credentials; refuses without a terminal or with both passwords', () => {
    const real = loadFixture('y-load-login.txt', LOGINS);
    const sim = simulate(
      real.map((s) => rewrite(s.line)),
      { setup: [] },
    );
    const local = (text: string) => text.replaceAll('REG', 'localhost:5000');
    expect(sim.map((s) => s.line)).toEqual(real.map((s) => rewrite(s.line)));
    real.forEach((r, i) => {
      expect(sim[i]?.stdout, r.line).toBe(local(r.stdout));
      expect(sim[i]?.stderr, r.line).toBe(local(r.stderr));
      expect(sim[i]?.exitCode, r.line).toBe(r.exitCode);
    });
  });

  it('x-save-login: --password-stdin with an empty stdin cannot log in, and asks nothing', () => {
    const line = 'docker login -u nobody --password-stdin localhost:5999';
    const [sim] = simulate([line], { setup: [] });
    const real = loadFixture('x-save-login.txt').find((s) => s.line.startsWith('docker login'));
    expect(sim?.stderr).toBe(real?.stderr);
    expect(sim?.exitCode).toBe(real?.exitCode);
    const trace = new Simulation([line]).runToEnd();
    expect(messagesOf(trace).filter((m) => m.to === 'dockerd')).toEqual([]);
  });

  it('the refusals a terminal would see are the CLI’s own texts (recorded through script)', () => {
    const steps = loadFixture('y-load-login.txt');
    const [save] = simulate(['docker save busybox']);
    expect(save?.stderr).toBe(steps.find((s) => s.line.includes("'docker save busybox'"))?.stdout);
  });
});

/**
 * Engine 29's containerd image store (moby docker-v29.0.0 daemon/containerd/image_exporter.go;
 * containerd v2.1.5 core/images/archive/importer.go), not recorded here: the same CLI output for
 * a save and a load, the blobs read from and written into containerd's content store, the image's
 * whole index exported so that it comes back under the same id, and the importer's own errors for a file that is no tar and for
 * empty input.
 */
describe('profile v29: save and load through containerd', () => {
  const lines = [
    'docker save -o bb.tar busybox',
    'docker rmi busybox',
    'docker load -i bb.tar',
    'docker load -i notatar.txt',
    'docker load',
  ];
  const steps = simulate(lines, { profile: 'v29', files: { '/w/notatar.txt': 'hello\n' }, cwd: '/w' });

  it('prints what 20.10 prints for a load, and the importer’s errors', () => {
    expect(steps[2]?.stdout).toBe('Loaded image: busybox:latest\n');
    expect(steps[3]?.stderr).toBe('unexpected EOF\n');
    expect(steps[4]?.stderr).toBe('unrecognized image format\n');
    expect(steps.slice(3).map((s) => s.exitCode)).toEqual([1, 1]);
  });

  it('reads the blobs from containerd and writes them back, one save and one load event', () => {
    const trace = new Simulation(['docker pull busybox', ...lines.slice(0, 3)], {
      profile: 'v29',
      files: {},
      cwd: '/w',
    }).runToEnd();
    const ops = messagesOf(trace)
      .filter((m) => m.kind !== 'reply' && m.command >= 1)
      .map((m) => m.op);
    // The index, the platform's manifest, the config and the layer.
    expect(ops.filter((op) => op === 'ctrd.Content.Read')).toHaveLength(4);
    expect(ops).toContain('ctrd.Images.Create');
    expect(ops.filter((op) => op.startsWith('storage.'))).toEqual([]);
    const events = steps.flatMap((s) => s.events);
    expect(events.map((e) => e.Action)).toEqual(['save', 'untag', 'delete', 'load']);
    // The whole index was saved: the loaded image has the id it had (its index's digest).
    expect(events.at(-1)?.Actor.ID).toBe(events[0]?.Actor.ID);
  });
});

describe('the diagram of a save, a load and a login', () => {
  it('is valid Mermaid in both profiles', async () => {
    for (const profile of ['classic', 'v29'] as const) {
      const trace = new Simulation(
        [
          'docker pull busybox',
          'docker save -o bb.tar busybox',
          'docker rmi busybox',
          'docker load -i bb.tar',
          'docker load',
          'docker login -u alice -p pw localhost:5000',
        ],
        { profile, files: {}, cwd: '/w' },
      ).runToEnd();
      await expect(mermaid.parse(toMermaid(trace))).resolves.toBeTruthy();
    }
  });
});

describe('GET /images/{name}/get', () => {
  it('saves the path’s one name, as GET /images/get?names= does, in both profiles', () => {
    for (const profile of ['classic', 'v29'] as const) {
      const sim = new Simulation(['docker pull busybox'], { profile });
      sim.runToEnd();
      const path = `/v${profile === 'classic' ? '1.41' : '1.50'}/images/busybox/get`;
      const id = sim.world.wire.request(
        undefined,
        draft('CLI', 'dockerd', 'api.images.get', `GET ${path}`, {
          payload: { method: 'GET', path, query: {}, target: 'busybox' },
        }),
      );
      const trace = sim.runToEnd();
      const reply = messagesOf(trace).find((m) => m.inReplyTo === id);
      expect(reply?.status, profile).toBe('200');
      const tar = String((reply?.payload as { tar?: string } | undefined)?.tar ?? '');
      expect(readArchive(tar), profile).toMatchObject([{ names: ['docker.io/library/busybox:latest'] }]);
    }
  });
});
