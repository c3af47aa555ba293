import { isLang, type Lang } from '../../src/i18n/text.ts';
import { PROFILES, type Profile } from '../../src/model/trace.ts';

/**
 * The permalink: everything needed to reopen the exact state — the command lines, the seed, the
 * profile, the step and the language — in the URL's query, so a link works from any static
 * host and any path. `embed=1` asks for the minimal chrome used in slides; `lesson=<id>` opens a
 * lesson, whose own steps are then not repeated as `c=` lines.
 */
export interface LinkState {
  /** A lesson to open (scenarios/<id>.yaml); `commands` are then the lines typed after its steps. */
  lesson?: string;
  commands: string[];
  seed: number;
  profile: Profile;
  step: number;
  lang?: Lang;
  embed: boolean;
  presenter: boolean;
}

export function readLink(search: string): LinkState {
  const q = new URLSearchParams(search);
  const commands = q.getAll('c').filter((c) => c.trim() !== '');
  const seed = Number(q.get('seed') ?? '1');
  const profile = q.get('profile') ?? 'v29';
  const step = Number(q.get('step') ?? '0');
  const lang = q.get('lang') ?? '';
  const state: LinkState = {
    commands,
    seed: Number.isInteger(seed) && seed >= 0 ? seed : 1,
    profile: (PROFILES as readonly string[]).includes(profile) ? (profile as Profile) : 'v29',
    step: Number.isInteger(step) && step >= 0 ? step : 0,
    embed: q.get('embed') === '1',
    presenter: q.get('presenter') === '1',
  };
  if (isLang(lang)) state.lang = lang;
  const lesson = q.get('lesson') ?? '';
  if (/^[a-z0-9][a-z0-9-]*$/.test(lesson)) state.lesson = lesson;
  return state;
}

export function writeLink(state: LinkState): string {
  const q = new URLSearchParams();
  if (state.lesson) q.set('lesson', state.lesson);
  for (const c of state.commands) q.append('c', c);
  q.set('seed', String(state.seed));
  q.set('profile', state.profile);
  q.set('step', String(state.step));
  if (state.lang) q.set('lang', state.lang);
  if (state.embed) q.set('embed', '1');
  if (state.presenter) q.set('presenter', '1');
  return `?${q.toString()}`;
}
