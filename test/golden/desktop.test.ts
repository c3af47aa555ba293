import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { narrate } from '../../src/i18n/index.ts';
import type { Message } from '../../src/model/message.ts';
import type { OciSpec } from '../../src/model/oci.ts';
import type { Trace } from '../../src/model/trace.ts';
import { hostSnapshot } from '../../src/sim/hostSnapshot.ts';
import { namespaces } from '../../src/views/layerStack.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { cliOutput, goldenLines, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { producedKeys } from '../unit/i18n/usage.ts';

/**
 * Docker Desktop (platform `desktop`) against a Linux host (`linux`, the default): the same
 * command line, and what the VM boundary adds — the backend's hop on every request, file sharing
 * for a bind mount, a port opened on the host.
 */
const RUN = 'docker run -d --name web -p 8080:80 -v /Users/me/site:/usr/share/nginx/html:ro nginx';
const SETUP = ['docker pull nginx'];

function run(platform: 'linux' | 'desktop', lines: string[] = [RUN], setup = SETUP): Trace {
  return new Simulation(lines, { platform, setup }).runToEnd();
}

function specOf(trace: Trace): OciSpec {
  const m = messagesOf(trace).find((x) => x.op === 'dockerd.buildSpec');
  if (!m) throw new Error('no OCI spec in the run');
  return m.payload as unknown as OciSpec;
}

const between = (m: Message, from: string, to: string) => m.from === from && m.to === to;

describe('docker run with a bind mount and a published port', () => {
  it('desktop: golden trace and Mermaid', async () => {
    const trace = run('desktop');
    const text = `$ ${RUN}\n\n${goldenLines(trace).join('\n')}\n\n${toMermaid(trace)}`;
    await expect(text).toMatchFileSnapshot('__golden__/desktop-run-bind-publish.txt');
    await expect(mermaid.parse(toMermaid(trace, { lang: 'zh-CN' }))).resolves.toBeTruthy();
  });

  it('linux: golden trace, with no VM message at all', async () => {
    const trace = run('linux');
    expect(messagesOf(trace).filter((m) => m.from === 'VM' || m.to === 'VM')).toEqual([]);
    expect(toMermaid(trace)).not.toMatch(/participant VM/);
    expect(trace).not.toHaveProperty('platform');
    const text = `$ ${RUN}\n\n${goldenLines(trace).join('\n')}\n\n${toMermaid(trace)}`;
    await expect(text).toMatchFileSnapshot('__golden__/run-bind-publish.txt');
  });

  it('desktop: the CLI talks to the backend, which passes every request on to dockerd', () => {
    const messages = messagesOf(run('desktop'));
    const fromCli = messages.filter((m) => m.from === 'CLI' && m.kind === 'request');
    expect(fromCli.length).toBeGreaterThan(0);
    expect(fromCli.every((m) => m.to === 'VM')).toBe(true);
    expect(messages.some((m) => between(m, 'CLI', 'dockerd') || between(m, 'dockerd', 'CLI'))).toBe(false);
    // Each request the CLI sent reaches dockerd with the same call, and each answer comes back.
    for (const m of fromCli) {
      expect(
        messages.some((x) => between(x, 'VM', 'dockerd') && x.kind === 'request' && x.call === m.call),
        m.call,
      ).toBe(true);
    }
    const ping = fromCli[0];
    expect(ping?.call).toBe('HEAD /_ping');
    expect(ping && narrate(ping, 'en')).toMatch(
      /desktop-linux, unix:\/\/\/Users\/me\/\.docker\/run\/docker\.sock/,
    );
  });

  it('the bind source is the host path on linux, the shared path in the VM on desktop', () => {
    const bind = (t: Trace) => specOf(t).mounts.find((m) => m.destination === '/usr/share/nginx/html');
    expect(bind(run('linux'))).toEqual({
      destination: '/usr/share/nginx/html',
      type: 'bind',
      source: '/Users/me/site',
      options: ['rbind', 'ro', 'rprivate'],
    });
    expect(bind(run('desktop'))).toEqual({
      destination: '/usr/share/nginx/html',
      type: 'bind',
      source: '/host_mnt/Users/me/site',
      options: ['rbind', 'ro', 'rprivate'],
    });
    const create = messagesOf(run('desktop')).find(
      (m) => between(m, 'VM', 'dockerd') && m.op === 'api.containers.create',
    );
    expect(create?.payload).toMatchObject({
      body: { HostConfig: { Binds: ['/host_mnt/Users/me/site:/usr/share/nginx/html:ro'] } },
    });
    const typed = messagesOf(run('desktop')).find(
      (m) => between(m, 'CLI', 'VM') && m.op === 'api.containers.create',
    );
    expect(typed?.payload).toMatchObject({
      body: { HostConfig: { Binds: ['/Users/me/site:/usr/share/nginx/html:ro'] } },
    });
  });

  it('desktop: the backend listens on the host port once the start it relayed succeeded', () => {
    const messages = messagesOf(run('desktop'));
    const started = messages.findIndex(
      (m) => between(m, 'dockerd', 'VM') && m.op === 'api.containers.start' && m.status === '204',
    );
    const listen = messages.findIndex((m) => m.op === 'vm.exposePort');
    const relayed = messages.findIndex((m) => between(m, 'VM', 'CLI') && m.op === 'api.containers.start');
    expect(started).toBeGreaterThan(0);
    expect([started < listen, listen < relayed]).toEqual([true, true]);
    expect(messages[listen]?.call).toMatch(/^listen\(tcp 0\.0\.0\.0:8080\) on the host/);
    expect(narrate(messages[listen] as Message, 'en')).toMatch(/listens on the Mac’s 0\.0\.0\.0:8080/);
  });
});

describe("the kernel's view of the bind mount", () => {
  it("is the VM's path on desktop, the host path on linux", () => {
    const view = (platform: 'linux' | 'desktop') => {
      const sim = new Simulation([RUN], { platform, setup: SETUP });
      sim.runToEnd();
      return namespaces(hostSnapshot(sim.world, 'v29'));
    };
    expect(view('desktop')).toContain('  bind mount: /host_mnt/Users/me/site → /usr/share/nginx/html (ro)\n');
    expect(view('linux')).toContain('  bind mount: /Users/me/site → /usr/share/nginx/html (ro)\n');
  });
});

describe('the backend as a proxy', () => {
  const lines = [RUN, 'docker ps', 'docker inspect web', 'docker stop web'];

  it('shows the host path in inspect and ps, though dockerd holds the VM path', () => {
    const trace = run('desktop', lines);
    const out = cliOutput(trace);
    expect(out).toContain('"Source": "/Users/me/site"');
    expect(out).not.toContain('/host_mnt');
    expect(out).toContain('0.0.0.0:8080->80/tcp');
    const fromDockerd = messagesOf(trace).find(
      (m) => between(m, 'dockerd', 'VM') && m.op === 'api.containers.inspect',
    );
    expect(JSON.stringify(fromDockerd?.payload)).toContain('/host_mnt/Users/me/site');
  });

  it('closes the upstream wait when the CLI has gone: dockerd does not answer it after the stop', () => {
    const messages = messagesOf(run('desktop', lines));
    const stop = messages.findIndex((m) => m.op === 'api.containers.stop');
    const waits = messages.slice(stop).filter((m) => m.op === 'api.containers.wait' && m.kind === 'reply');
    expect(waits).toEqual([]);
    expect(messages.slice(stop).some((m) => m.op === 'vm.closePort')).toBe(true);
  });

  it("relays an attached container's output frame by frame", () => {
    const trace = run(
      'desktop',
      ['docker run --rm busybox sh -c "echo out; echo err >&2; exit 3"'],
      ['docker pull busybox'],
    );
    const frames = messagesOf(trace).filter((m) => m.op === 'attach.output');
    const hops = (from: string, to: string) => frames.filter((m) => between(m, from, to)).map((m) => m.call);
    expect(hops('dockerd', 'VM')).toEqual([
      'attach stream: stdout frame (4 bytes)',
      'attach stream: stderr frame (4 bytes)',
    ]);
    expect(hops('VM', 'CLI')).toEqual(hops('dockerd', 'VM'));
    expect(frames.some((m) => between(m, 'dockerd', 'CLI'))).toBe(false);
    expect(cliOutput(trace)).toContain('out\nerr\n');
    expect(trace.entries.find((e) => e.type === 'exit')).toMatchObject({ code: 3 });
  });

  it('answers a start itself when a bind source is outside the shared directories', () => {
    const trace = run(
      'desktop',
      ['docker run -d --name site -v /data/site:/srv busybox sleep 60'],
      ['docker pull busybox'],
    );
    const messages = messagesOf(trace);
    const denied = messages.find((m) => between(m, 'VM', 'CLI') && m.op === 'api.containers.start');
    expect(denied).toMatchObject({ ok: false, status: '500', narration: { key: 'vm.mountsDenied.reply' } });
    expect(messages.some((m) => between(m, 'VM', 'dockerd') && m.op === 'api.containers.start')).toBe(false);
    expect(cliOutput(trace)).toContain(
      'docker: Error response from daemon: Mounts denied: \nThe path /data/site is not shared from the host and is not known to Docker.\n' +
        'You can configure shared paths from Docker -> Preferences... -> Resources -> File Sharing.\n' +
        "See https://docs.docker.com/desktop/settings/mac/#file-sharing for more info.\n\nRun 'docker run --help' for more information\n",
    );
  });

  it("passes the VM's own docker socket through unchanged", () => {
    const trace = run(
      'desktop',
      ['docker run --rm -v /var/run/docker.sock:/var/run/docker.sock busybox true'],
      ['docker pull busybox'],
    );
    const create = messagesOf(trace).find(
      (m) => between(m, 'VM', 'dockerd') && m.op === 'api.containers.create',
    );
    expect(create?.payload).toMatchObject({
      body: { HostConfig: { Binds: ['/var/run/docker.sock:/var/run/docker.sock'] } },
    });
    expect(messagesOf(trace).some((m) => m.op === 'vm.shareBinds')).toBe(false);
  });
});

describe('narration', () => {
  it('the i18n check runs the Docker Desktop and bind mount keys (so both languages must have them)', () => {
    const produced = producedKeys();
    const keys = [
      'fidelity.desktopSocket',
      'vm.forward',
      'vm.relay.reply',
      'vm.stream',
      'vm.shareBinds',
      'vm.restorePaths',
      'vm.exposePort',
      'vm.closePort',
      'vm.mountsDenied.reply',
      'dockerd.mountPoints',
      'kernel.bindMount',
    ];
    expect(keys.filter((k) => !produced.has(k))).toEqual([]);
  });

  it('says in Chinese where Docker Desktop differs', () => {
    const m = messagesOf(run('desktop')).find((x) => x.op === 'vm.shareBinds');
    expect(m && narrate(m, 'zh-CN')).toMatch(/\/host_mnt\/Users\/me\/site/);
    expect(m && narrate(m, 'zh-CN')).toMatch(/在 Linux 上，源路径按原样使用/);
  });
});
