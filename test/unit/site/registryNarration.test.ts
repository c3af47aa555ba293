import { describe, expect, it } from 'vitest';
import '../../../src/i18n/index.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { narrateMessage, narrationOf } from '../../../src/views/narration.ts';
import { messagesOf } from '../../../src/views/trace.ts';

const messages = messagesOf(new Simulation(['docker run -d --name web nginx'], { seed: 1 }).runToEnd());
const registry = messages.filter((m) => m.op === 'registry.get' || m.op === 'registry.head');
const kinds = registry.map((m) => narrationOf(m).key);

describe('narration of each registry request and reply', () => {
  it('gives the resolving HEAD, the token, the manifest list, the manifest, the config and each layer their own sentence', () => {
    expect(kinds.slice(0, 12)).toEqual([
      'registry.kind.resolve',
      'registry.kind.ping.reply',
      'registry.kind.token',
      'registry.kind.token.reply',
      'registry.kind.resolve',
      'registry.kind.resolve.reply',
      'registry.kind.manifest',
      'registry.kind.manifestList.reply',
      'registry.kind.manifest',
      'registry.kind.manifest.reply',
      'registry.kind.config',
      'registry.kind.config.reply',
    ]);
    expect(kinds.filter((k) => k === 'registry.kind.layer')).toHaveLength(7);
    expect(kinds.filter((k) => k === 'registry.kind.layer.reply')).toHaveLength(7);
  });
});

describe('narration of the classic registry requests', () => {
  it('classic: the ping first, then the token and the resolving HEAD', () => {
    const classic = messagesOf(
      new Simulation(['docker pull nginx'], { seed: 1, profile: 'classic' }).runToEnd(),
    ).filter((m) => m.op === 'registry.get' || m.op === 'registry.head');
    expect(classic.slice(0, 6).map((m) => narrationOf(m).key)).toEqual([
      'registry.kind.ping',
      'registry.kind.ping.reply',
      'registry.kind.token',
      'registry.kind.token.reply',
      'registry.kind.resolve',
      'registry.kind.resolve.reply',
    ]);
    const resolved = classic[5];
    expect(resolved && narrateMessage(resolved, 'en')).toMatch(/Docker-Content-Digest: sha256:[0-9a-f]{64}/);
  });
});

describe('narration of the facts of registry messages', () => {
  it('states the facts of each message: status, size, digest and media type', () => {
    const at = (key: string) => registry.find((m) => narrationOf(m).key === key);
    const list = at('registry.kind.manifestList.reply');
    const layer = at('registry.kind.layer.reply');
    if (!list || !layer) throw new Error('missing replies');
    const en = narrateMessage(list, 'en');
    expect(en).toContain('200 OK');
    expect(en).toContain('application/vnd.oci.image.index.v1+json');
    expect(en).toMatch(/digest sha256:[0-9a-f]{64}/);
    expect(en).toMatch(/\d+ bytes \(2\.6 KiB\)/);
    expect(narrateMessage(layer, 'zh-CN')).toMatch(
      /application\/octet-stream，\d+ bytes \([\d.]+ MiB\)，摘要 sha256:[0-9a-f]{64}/,
    );
    const token = at('registry.kind.token');
    expect(token && narrateMessage(token, 'en')).toContain('repository:library/nginx:pull');
  });

  it('no longer says the token reply is checked against a digest', () => {
    const token = registry.find((m) => narrationOf(m).key === 'registry.kind.token.reply');
    if (!token) throw new Error('no token reply');
    expect(narrateMessage(token, 'en')).not.toMatch(/checks every manifest and blob/);
    expect(narrateMessage(token, 'en')).toMatch(/valid for 300 s/);
    expect(narrateMessage(token, 'zh-CN')).toMatch(/有效期 300 秒/);
  });

  it('leaves every other message with its own sentence', () => {
    const other = messages.find((m) => m.op === 'ctrd.Diff.Apply');
    expect(other && narrationOf(other)).toBe(other?.narration);
  });
});
