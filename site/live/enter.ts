// Evaluated before the app (main.ts imports it first): a page opened with a real engine's token
// becomes the live page — the app's element is swapped out before it is ever defined, so the
// simulation never starts.
import { liveToken } from './liveClient.ts';

if (liveToken(location.search) !== undefined) {
  document.querySelector('ds-app')?.replaceWith(document.createElement('ds-live'));
  void import('./ds-live.ts');
}
