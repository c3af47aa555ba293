// The pull platform as containerd's platforms.Parse reads it (src/model/platformSpec.ts); the
// refusals' texts are dockerd 20.10's (test/fixtures/real-engine/l-refusals.txt).
import { describe, expect, it } from 'vitest';
import { parsePlatformSpecifier } from '../../src/model/platformSpec.ts';

const host = { os: 'linux', architecture: 'amd64' };

describe('platform specifier', () => {
  it('reads os, os/arch and os/arch/variant, normalised as containerd does', () => {
    const cases: [string, object][] = [
      ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
      ['LINUX/AMD64', { os: 'linux', architecture: 'amd64' }],
      ['linux/x86_64', { os: 'linux', architecture: 'amd64' }],
      ['linux/aarch64', { os: 'linux', architecture: 'arm64' }],
      ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
      ['linux/arm', { os: 'linux', architecture: 'arm' }],
      ['linux/armhf', { os: 'linux', architecture: 'arm' }],
      ['linux/armel', { os: 'linux', architecture: 'arm', variant: 'v6' }],
      ['linux/arm/7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
      ['bad/bad', { os: 'bad', architecture: 'bad' }],
      ['linux', { os: 'linux', architecture: 'amd64' }],
      ['windows', { os: 'windows', architecture: 'amd64' }],
      ['arm64', { os: 'linux', architecture: 'arm64' }],
    ];
    for (const [text, want] of cases) expect(parsePlatformSpecifier(text, host), text).toEqual(want);
  });

  it('refuses what containerd refuses, with its words', () => {
    const cases: [string, string][] = [
      ['bad/bad/bad/bad', '"bad/bad/bad/bad": cannot parse platform specifier: invalid argument'],
      ['bad', '"bad": unknown operating system or architecture: invalid argument'],
      ['linux/*', '"linux/*": wildcards not yet supported: invalid argument'],
      [
        '/amd64',
        '"" is an invalid component of "/amd64": platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument',
      ],
      [
        'linux/am d64',
        '"am d64" is an invalid component of "linux/am d64": platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument',
      ],
    ];
    for (const [text, message] of cases)
      expect(() => parsePlatformSpecifier(text, host), text).toThrow(message);
  });
});
