import { describe, expect, it } from 'vitest';
import { preferredLang, UI, ui } from '../../../site/i18n/ui.ts';
import { readLink, writeLink } from '../../../site/state/permalink.ts';

describe('site UI catalogue', () => {
  const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has every key in both languages, none empty, with the same slots', () => {
    expect(Object.keys(UI['zh-CN']).sort()).toEqual(Object.keys(UI.en).sort());
    for (const [key, text] of Object.entries(UI.en)) {
      const zh = UI['zh-CN'][key as keyof typeof UI.en];
      expect(text.trim(), key).not.toBe('');
      expect(zh.trim(), key).not.toBe('');
      expect(slots(zh), key).toEqual(slots(text));
    }
  });

  it('fills slots and picks Chinese for a Chinese browser', () => {
    expect(ui('controls.step', 'en', { n: 3, total: 9 })).toBe('Step 3 of 9');
    expect(preferredLang(['zh-TW', 'en'])).toBe('zh-CN');
    expect(preferredLang(['fr', 'en-GB'])).toBe('en');
    expect(preferredLang(['fr'])).toBe('en');
  });
});

describe('permalink', () => {
  it('round-trips commands, seed, profile, step and language', () => {
    const state = {
      commands: ['docker run -d --name web nginx', "docker exec web sh -c 'echo a&b'"],
      seed: 7,
      profile: 'classic' as const,
      step: 42,
      lang: 'zh-CN' as const,
      embed: true,
      presenter: false,
    };
    expect(readLink(writeLink(state))).toEqual(state);
  });

  it('falls back on bad values instead of failing', () => {
    expect(readLink('?seed=-3&profile=nope&step=x&lang=fr')).toEqual({
      commands: [],
      seed: 1,
      profile: 'v29',
      step: 0,
      embed: false,
      presenter: false,
    });
  });
});
