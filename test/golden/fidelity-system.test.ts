import { describe, expect, it } from 'vitest';
import { loadFixture, simulate } from './fidelity-fixture.ts';

/**
 * `docker version` and `docker info` (j-image-rmi-tag-version.txt: CLI 28.2.2 against dockerd
 * 20.10.24). The layout — sections, labels, their order and alignment — is the real CLI's; the
 * server's values say what the simulation models: profile classic is the recorded engine
 * (20.10.24, containerd 1.6.20, runc 1.1.5) speaking API 1.41, as recorded; profile v29 is
 * Engine 29.0.0 with the containerd image store, API 1.52 (minimum 1.44), containerd 2.1.5 and
 * runc 1.3.3 (moby docker-v29.0.0 daemon/config/config.go, Dockerfile). Build details the simulation does not have say "(simulated)".
 */
const real = (line: string) => loadFixture('j-image-rmi-tag-version.txt').find((s) => s.line === line);
/** Each line up to its label (`  Version:`), so layouts compare without the values. */
const labels = (text: string) => text.split('\n').map((l) => /^(\s*[^:]*:)/.exec(l)?.[1] ?? l);

describe('fidelity: docker version and docker info', () => {
  it('docker version: the real layout; the client is CLI 28.2.2, the server the modelled engine', () => {
    const [sim] = simulate(['docker version']);
    const want = real('docker version');
    expect(labels(sim?.stdout ?? '')).toEqual(labels(want?.stdout ?? ''));
    const clientReal = (want?.stdout ?? '').split('\n\n')[0] ?? '';
    expect((sim?.stdout ?? '').split('\n\n')[0]).toBe(clientReal);
    expect(sim?.stdout).toContain(
      'Server: dockstep simulated engine (profile classic)\n Engine:\n  Version:          20.10.24\n  API version:      1.41 (minimum version 1.12)\n',
    );
    expect(sim?.stdout).toContain(' containerd:\n  Version:          1.6.20\n');
    expect(sim?.stdout).toContain(' runc:\n  Version:          1.1.5\n');
    expect(sim?.exitCode).toBe(0);
  });

  it('docker version --format reads the Go field names', () => {
    expect(real("docker version --format '{{.Server.Version}} {{.Server.APIVersion}}'")?.stdout).toBe(
      '20.10.24+dfsg1 1.41\n',
    );
    expect(
      simulate(["docker version --format '{{.Server.Version}} {{.Server.APIVersion}}'"])[0]?.stdout,
    ).toBe('20.10.24 1.41\n');
  });

  it('docker info: the real layout, with the simulated counts', () => {
    const [sim] = simulate(['docker run -d --name i1 busybox sleep 1000', 'docker info'], {
      setup: ['docker pull busybox'],
    }).slice(1);
    expect(labels(sim?.stdout ?? '')).toEqual(labels(real('docker info')?.stdout ?? ''));
    expect(sim?.stdout).toContain(
      ' Containers: 1\n  Running: 1\n  Paused: 0\n  Stopped: 0\n Images: 1\n Server Version: 20.10.24\n Storage Driver: overlay2\n',
    );
    expect(sim?.stdout.endsWith(' Live Restore Enabled: false\n\n')).toBe(true);
  });

  it('profile v29 says Engine 29.0.0 and the containerd snapshotter', () => {
    const [version, info] = simulate(['docker version', 'docker info'], { profile: 'v29' });
    expect(version?.stdout).toContain(
      'Server: dockstep simulated engine (profile v29)\n Engine:\n  Version:          29.0.0\n  API version:      1.52 (minimum version 1.44)\n',
    );
    // CLI 28.2 speaks 1.50, below the engine's 1.52: nothing to downgrade.
    expect(version?.stdout).toContain(' API version:       1.50\n');
    expect(version?.stdout).toContain(' containerd:\n  Version:          2.1.5\n');
    expect(version?.stdout).toContain(' runc:\n  Version:          1.3.3\n');
    expect(info?.stdout).toContain(
      ' Storage Driver: overlayfs\n  driver-type: io.containerd.snapshotter.v1\n',
    );
    // A cgroup v2 host with systemd: dockerd's default driver is systemd (daemon_unix.go UsingSystemd).
    expect(info?.stdout).toContain(' Cgroup Driver: systemd\n Cgroup Version: 2\n');
  });
});
