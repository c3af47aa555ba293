import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enAreas } from '../../../src/i18n/en/index.ts';
import { CATALOGUES, LANGS, type Catalogue } from '../../../src/i18n/index.ts';
import { zhCNAreas } from '../../../src/i18n/zh-CN/index.ts';
import { containerMachine } from '../../../src/layers/dockerd/containerMachine.ts';
import { PARTICIPANTS } from '../../../src/model/participants.ts';
import { PHASE_OPS } from '../../../src/views/mermaid.ts';
import { producedKeys, type KeyUse } from './usage.ts';

/**
 * The catalogues against what the simulation really produces: every key a message carries has a
 * sentence in both languages, both languages have the same keys and the same slots per key, and
 * no slot can stay unfilled (a slot that is missing shows as `{name}` to the learner).
 */
const IMPLICIT = new Set(['call', 'status', 'from', 'to']);

/** The kinds of registry request and reply src/views/registryNarration.ts words, and their slots. */
const REGISTRY_REQUESTS = ['ping', 'token', 'resolve', 'manifestTag', 'manifest', 'config', 'layer'];
const REGISTRY_REPLIES = [
  'ping',
  'resolve',
  'pingOpen',
  'token',
  'manifestList',
  'manifest',
  'config',
  'layer',
];
const REGISTRY_REQUEST_SLOTS = ['host', 'path', 'scope', 'reference', 'size', 'from', 'to', 'call', 'status'];
const REGISTRY_REPLY_SLOTS = [
  'status',
  'size',
  'digest',
  'mediaType',
  'expires',
  'realm',
  'from',
  'to',
  'call',
];

/** Keys the views use without a message, with the slots their callers pass. */
const STATIC_KEYS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(PARTICIPANTS.map((p) => [`participant.${p}`, []])),
  ...Object.fromEntries([...PHASE_OPS].map((op) => [`phase.${op}`, []])),
  // hostSnapshot reports the dockerd container state (paused is running's substate).
  ...Object.fromEntries(
    [...Object.keys(containerMachine.config.states ?? {}), 'paused']
      .filter((s) => s !== 'removed')
      .map((s) => [`view.status.${s}`, []]),
  ),
  'phase.command': ['line'],
  'phase.cleanup': [],
  'block.repeat': ['count', 'first', 'last'],
  'block.repeatOpen': ['count', 'first', 'last'],
  // src/views/registryNarration.ts: one sentence per kind of registry request and reply.
  ...Object.fromEntries(REGISTRY_REQUESTS.map((kind) => [`registry.kind.${kind}`, REGISTRY_REQUEST_SLOTS])),
  ...Object.fromEntries(
    REGISTRY_REPLIES.map((kind) => [`registry.kind.${kind}.reply`, REGISTRY_REPLY_SLOTS]),
  ),
  'view.step': ['n', 'total'],
  'view.unmodelled': [],
  'view.notModelled': [],
  'view.frozen': [],
  'view.noContainers': [],
  'view.namespaces': [],
  'view.layer.driver': ['driver'],
  'view.layer.writable': [],
  'view.layer.readonly': ['n'],
  'view.layer.shared': ['with'],
};

/** Literal keys the view sources look up (`t('view.frozen', …)`, `{ key: 'phase.cleanup' }`). */
function keysInViewSources(dir = join(import.meta.dirname, '../../../src/views')): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/(?:\bt\(|key: )'((?:view|phase|block|fidelity|participant)\.[\w.-]+)'/g))
      found.add(m[1] ?? '');
  }
  return [...found].sort();
}

function slots(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

const missingFrom = (catalogue: Catalogue, keys: Iterable<string>): string[] =>
  [...keys].filter((k) => catalogue[k] === undefined).sort();

/** Slots that could show as `{name}`: not in a use's params, not passed by the view, not implicit. */
function unfilledSlots(produced: ReadonlyMap<string, KeyUse[]>): string[] {
  const unfilled: string[] = [];
  for (const [key, template] of Object.entries(CATALOGUES.en)) {
    const uses = produced.get(key);
    const declared = STATIC_KEYS[key];
    for (const slot of slots(template)) {
      if (uses) {
        const gap = uses.find((u) => !u.slots.has(slot));
        if (gap) unfilled.push(`${key} {${slot}}: not given as ${gap.role} at ${gap.where}`);
      } else if (declared) {
        if (!declared.includes(slot))
          unfilled.push(`${key} {${slot}}: its view passes {${declared.join(',')}}`);
      } else if (/^(participant|phase|block|view)\./.test(key) || !IMPLICIT.has(slot)) {
        // A key no run produces yet (an op being added): only the implicit message slots are safe.
        unfilled.push(`${key} {${slot}}: no message produces this key to supply it`);
      }
    }
  }
  return unfilled;
}

/** Keys defined by two area files (the later one would silently win), and how many keys in all. */
function mergeAreas(areas: Readonly<Record<string, Catalogue>>): { clashes: string[]; size: number } {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const [area, catalogue] of Object.entries(areas)) {
    for (const key of Object.keys(catalogue)) {
      const before = seen.get(key);
      if (before) clashes.push(`${key}: ${before} and ${area}`);
      seen.set(key, area);
    }
  }
  return { clashes, size: seen.size };
}

describe('i18n catalogues cover what is used', () => {
  const produced = producedKeys();

  it('the view sources are scanned (the scan itself still finds their keys)', () => {
    expect(keysInViewSources()).toEqual(
      expect.arrayContaining(['phase.cleanup', 'view.frozen', 'view.layer.writable']),
    );
  });

  it('the scenarios reach a broad set of keys (the test itself still sees the layers)', () => {
    expect(produced.size).toBeGreaterThan(150);
    for (const key of [
      'kernel.oom',
      'dockerd.graceExpired',
      'block.graceExpired',
      'runc.create.failed',
      'dockerd.error.reply',
      'fidelity.rmNoStop',
    ]) {
      expect(produced.has(key), key).toBe(true);
    }
  });

  for (const lang of LANGS) {
    it(`${lang} has every key the simulation produces`, () => {
      const missing = missingFrom(CATALOGUES[lang], produced.keys()).map(
        (k) => `${k}  (${produced.get(k)?.[0]?.where ?? ''})`,
      );
      expect(missing).toEqual([]);
    });

    it(`${lang} has every key the views use`, () => {
      expect(missingFrom(CATALOGUES[lang], Object.keys(STATIC_KEYS))).toEqual([]);
      expect(missingFrom(CATALOGUES[lang], keysInViewSources())).toEqual([]);
    });

    it(`${lang} has no empty template and no stray brace`, () => {
      const bad = Object.entries(CATALOGUES[lang]).filter(
        ([, text]) => text.trim() === '' || /[{}]/.test(text.replace(/\{\w+\}/g, '')),
      );
      expect(bad).toEqual([]);
    });
  }
});

describe('i18n catalogues agree with each other', () => {
  const produced = producedKeys();

  it('en and zh-CN have the same keys', () => {
    const en = Object.keys(CATALOGUES.en).sort();
    const zh = Object.keys(CATALOGUES['zh-CN']).sort();
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('en and zh-CN use the same slots for every key', () => {
    const differ = Object.keys(CATALOGUES.en).flatMap((key) => {
      const en = slots(CATALOGUES.en[key] ?? '');
      const zh = slots(CATALOGUES['zh-CN'][key] ?? '');
      return en.join() === zh.join() ? [] : [`${key}: en {${en.join()}} zh-CN {${zh.join()}}`];
    });
    expect(differ).toEqual([]);
  });

  it('every slot is filled wherever the key is used', () => {
    expect(unfilledSlots(produced)).toEqual([]);
  });

  for (const [lang, areas] of [
    ['en', enAreas],
    ['zh-CN', zhCNAreas],
  ] as const) {
    it(`${lang} area files share no key and all reach the catalogue`, () => {
      const { clashes, size } = mergeAreas(areas);
      expect(clashes).toEqual([]);
      expect(size).toBe(Object.keys(CATALOGUES[lang]).length);
    });
  }
});
