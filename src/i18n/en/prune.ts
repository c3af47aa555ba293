import type { Catalogue } from '../index.ts';

/** `docker volume prune`. */
export const prune: Catalogue = {
  'api.volumes.prune':
    'The CLI asks dockerd to remove the volumes no container uses: `{call}`. With API 1.42 and later (Engine 29) only anonymous ones, unless `-a` adds the `all` filter.',
  'api.volumes.prune.reply':
    'dockerd answers {status}: {count} volume(s) removed by the local driver, and one `prune` event — no `destroy` event per volume.',
};
