import { describe, expect, it } from 'vitest';
import { parseHostWords } from '../../../src/cli/host.ts';
import { checkLine, routeLine } from '../../../src/cli/lines.ts';

describe('host actions', () => {
  it('reads pkill, systemctl and allocate as an admin types them', () => {
    expect(parseHostWords(['pkill', '-9', 'dockerd'])).toEqual({
      kind: 'signal',
      target: 'dockerd',
      signal: 9,
    });
    expect(parseHostWords(['pkill', '-KILL', 'dockerd'])).toEqual({
      kind: 'signal',
      target: 'dockerd',
      signal: 9,
    });
    expect(parseHostWords(['pkill', 'dockerd'])).toEqual({ kind: 'signal', target: 'dockerd', signal: 15 });
    expect(parseHostWords(['systemctl', 'restart', 'docker.service'])).toEqual({
      kind: 'service',
      verb: 'restart',
      unit: 'docker',
    });
    expect(parseHostWords(['allocate', '64m', 'in', 'web'])).toEqual({
      kind: 'allocate',
      bytes: 64 * 1024 * 1024,
      container: 'web',
    });
  });

  it('refuses what it cannot do, naming the value', () => {
    expect(parseHostWords(['pkill', '-HUP', 'dockerd'])).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining("'-HUP'"),
    });
    expect(parseHostWords(['pkill', 'containerd'])).toMatchObject({ exitCode: 2 });
    expect(parseHostWords(['pkill', '-9', 'dockerd', 'extra'])).toMatchObject({ exitCode: 2 });
    expect(parseHostWords(['systemctl', 'reload', 'docker'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining("'reload'"),
    });
    expect(parseHostWords(['systemctl', 'stop', 'nginx'])).toMatchObject({ exitCode: 5 });
    expect(parseHostWords(['allocate', 'lots', 'in', 'web'])).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining("'lots'"),
    });
    expect(parseHostWords(['allocate', '64m', 'web'])).toMatchObject({ exitCode: 2 });
  });

  it('routes a line by its program', () => {
    expect(routeLine('docker ps')).toMatchObject({ to: 'CLI', op: 'cli.command' });
    expect(routeLine('kubectl get pods')).toMatchObject({ to: 'kubelet', op: 'kubelet.command' });
    expect(routeLine('pkill -9 dockerd')).toMatchObject({ to: 'Kernel', op: 'host.action' });
    expect(routeLine('ls -l')).toMatchObject({ to: 'CLI' });
    expect(checkLine('systemctl start docker')).toBeUndefined();
    expect(checkLine('docker ps')).toBeUndefined();
    expect(checkLine('systemctl status docker')?.exitCode).toBe(1);
    expect(checkLine('ls')?.exitCode).toBe(127);
  });
});
