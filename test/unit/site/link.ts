import type { LinkState } from '../../../site/state/permalink.ts';

/** A permalink's state for `commands` at `step`: seed 1, Engine 29, English, the full page. */
export function linkTo(commands: string[], step: number): LinkState {
  return { commands, seed: 1, profile: 'v29', step, lang: 'en', embed: false, presenter: false };
}
