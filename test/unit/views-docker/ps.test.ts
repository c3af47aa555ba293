import { describe, expect, it } from 'vitest';
import {
  containerStatus,
  displayablePorts,
  formatPs,
  goQuote,
  type ContainerSummary,
  type PortSummary,
} from '../../../src/views/docker/index.ts';
import { CLI, FX1, FX5, NOW_SEC } from './cliCaptures.ts';

const fx1 = FX1.containers as ContainerSummary[];
const fx5 = FX5.containers as ContainerSummary[];

describe('formatPs: byte for byte what docker CLI 28.2.2 printed', () => {
  it('default table: short ids, 20-column commands, ports, link names hidden', () => {
    expect(formatPs(fx1, { quiet: false, noTrunc: false }, NOW_SEC)).toBe(CLI.ps1.stdout);
  });

  it('--no-trunc: full ids, image references and commands, all names', () => {
    expect(formatPs(fx1, { quiet: false, noTrunc: true }, NOW_SEC)).toBe(CLI.ps1nt.stdout);
  });

  it('-q: ids only, no header', () => {
    expect(formatPs(fx1, { quiet: true, noTrunc: false }, NOW_SEC)).toBe(CLI.ps1q.stdout);
    expect(CLI.ps1q.stdout).toBe('3b2f4c5d6e7f\n0123456789ab\nfedcba987654\naa\nbb\n');
  });

  it('Go quoting, <no image>, emoji widths, port ranges per IP', () => {
    expect(formatPs(fx5, { quiet: false, noTrunc: false }, NOW_SEC)).toBe(CLI.ps5.stdout);
  });

  it('an empty list is the header alone', () => {
    expect(formatPs([], { quiet: false, noTrunc: false }, NOW_SEC)).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
    expect(formatPs([], { quiet: true, noTrunc: false }, NOW_SEC)).toBe('');
  });

  it('spells out the captured rows', () => {
    const lines = CLI.ps1.stdout.split('\n');
    expect(lines[1]).toBe(
      '3b2f4c5d6e7f   nginx:latest                   "/docker-entrypoint.…"   5 seconds ago            ' +
        'Up 4 seconds                 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp   web',
    );
    expect(lines[5]).toContain('"1234567890123456789…"   About a minute ago');
  });
});

describe('displayablePorts (docker/cli container_test.go vectors)', () => {
  const p = (
    PrivatePort: number,
    Type: PortSummary['Type'],
    IP?: string,
    PublicPort?: number,
  ): PortSummary => {
    const port: PortSummary = { PrivatePort, Type };
    if (IP !== undefined) port.IP = IP;
    if (PublicPort !== undefined) port.PublicPort = PublicPort;
    return port;
  };
  it.each<[PortSummary[], string]>([
    [[p(9988, 'tcp')], '9988/tcp'],
    [[p(9988, 'udp')], '9988/udp'],
    [[p(9988, 'tcp', '0.0.0.0')], '0.0.0.0:0->9988/tcp'],
    [[p(9988, 'tcp', '::')], '[::]:0->9988/tcp'],
    [[p(9988, 'tcp', undefined, 8899)], '9988/tcp'],
    [[p(9988, 'tcp', '4.3.2.1', 8899)], '4.3.2.1:8899->9988/tcp'],
    [[p(9988, 'tcp', '::1', 8899)], '[::1]:8899->9988/tcp'],
    [[p(9988, 'tcp', '4.3.2.1', 9988)], '4.3.2.1:9988->9988/tcp'],
    [[p(9988, 'udp'), p(9988, 'udp')], '9988/udp, 9988/udp'],
    [[p(9998, 'udp', '1.2.3.4', 9998), p(9999, 'udp', '1.2.3.4', 9999)], '1.2.3.4:9998-9999->9998-9999/udp'],
    [[p(9998, 'udp', '::1', 9998), p(9999, 'udp', '::1', 9999)], '[::1]:9998-9999->9998-9999/udp'],
    [
      [p(9998, 'udp', '1.2.3.4', 8887), p(9999, 'udp', '1.2.3.4', 8888)],
      '1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp',
    ],
    [[p(9998, 'udp'), p(9999, 'udp')], '9998-9999/udp'],
    [[p(6677, 'tcp', '1.2.3.4', 7766), p(9988, 'udp', undefined, 8899)], '9988/udp, 1.2.3.4:7766->6677/tcp'],
    [
      [
        p(9988, 'udp', '1.2.3.4', 8899),
        p(9988, 'tcp', '1.2.3.4', 8899),
        p(2233, 'tcp', '4.3.2.1', 3322),
        p(2233, 'tcp', '::1', 3322),
      ],
      '4.3.2.1:3322->2233/tcp, [::1]:3322->2233/tcp, 1.2.3.4:8899->9988/tcp, 1.2.3.4:8899->9988/udp',
    ],
    [
      [
        p(80, 'tcp'),
        p(1024, 'tcp'),
        p(80, 'udp'),
        p(1024, 'udp'),
        p(1024, 'tcp', '1.1.1.1', 80),
        p(1024, 'udp', '1.1.1.1', 80),
        p(80, 'tcp', '1.1.1.1', 1024),
        p(80, 'udp', '1.1.1.1', 1024),
        p(1024, 'tcp', '2.1.1.1', 80),
        p(1024, 'udp', '2.1.1.1', 80),
        p(80, 'tcp', '2.1.1.1', 1024),
        p(80, 'udp', '2.1.1.1', 1024),
        p(12345, 'sctp'),
      ],
      '80/tcp, 80/udp, 1024/tcp, 1024/udp, 12345/sctp, 1.1.1.1:1024->80/tcp, 1.1.1.1:1024->80/udp, 2.1.1.1:1024->80/tcp, ' +
        '2.1.1.1:1024->80/udp, 1.1.1.1:80->1024/tcp, 1.1.1.1:80->1024/udp, 2.1.1.1:80->1024/tcp, 2.1.1.1:80->1024/udp',
    ],
    [[p(80, 'tcp', '0.0.0.0', 8080), p(80, 'tcp', '::', 8080)], '0.0.0.0:8080->80/tcp, [::]:8080->80/tcp'],
    [[], ''],
  ])('%j → %s', (ports, text) => {
    expect(displayablePorts(ports)).toBe(text);
  });
});

describe('goQuote (strconv.Quote)', () => {
  it('escapes as Go does', () => {
    expect(goQuote('say "hi"\n\t\x01\x7f é 🐳')).toBe('"say \\"hi\\"\\n\\t\\x01\\x7f é 🐳"');
    expect(goQuote('\u200b')).toBe('"\\u200b"');
  });
});

describe('containerStatus (dockerd State.String)', () => {
  const now = 1_767_258_000_000;
  const base = { exitCode: 0, startedAtMs: now - 5000, finishedAtMs: 0 };
  it.each<[Parameters<typeof containerStatus>[0], string]>([
    [{ ...base, status: 'created', startedAtMs: 0 }, 'Created'],
    [{ ...base, status: 'running' }, 'Up 5 seconds'],
    [{ ...base, status: 'running', startedAtMs: now - 300 }, 'Up Less than a second'],
    [{ ...base, status: 'running', startedAtMs: now - 90 * 60_000 }, 'Up 2 hours'],
    [{ ...base, status: 'running', health: 'starting' }, 'Up 5 seconds (health: starting)'],
    [{ ...base, status: 'running', health: 'healthy' }, 'Up 5 seconds (healthy)'],
    [{ ...base, status: 'running', health: '' }, 'Up 5 seconds (unhealthy)'],
    [{ ...base, status: 'paused', health: 'healthy' }, 'Up 5 seconds (Paused)'],
    [
      { ...base, status: 'restarting', exitCode: 1, finishedAtMs: now - 2000 },
      'Restarting (1) 2 seconds ago',
    ],
    [{ ...base, status: 'exited', exitCode: 137, finishedAtMs: now - 2000 }, 'Exited (137) 2 seconds ago'],
    [{ ...base, status: 'exited', exitCode: 0, finishedAtMs: now - 61_000 }, 'Exited (0) About a minute ago'],
    [{ ...base, status: 'exited', exitCode: 127, startedAtMs: 0, finishedAtMs: now }, 'Created'],
    [{ ...base, status: 'exited', finishedAtMs: 0 }, ''],
    [{ ...base, status: 'removing' }, 'Removal In Progress'],
    [{ ...base, status: 'dead' }, 'Dead'],
  ])('%j → %s', (state, text) => {
    expect(containerStatus(state, now)).toBe(text);
  });
});
