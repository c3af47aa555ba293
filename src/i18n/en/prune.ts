import type { Catalogue } from '../index.ts';

/** `docker volume prune`, `docker image prune`, `docker system prune`. */
export const prune: Catalogue = {
  'api.volumes.prune':
    'The CLI asks dockerd to remove the volumes no container uses: `{call}`. With API 1.42 and later (Engine 29) only anonymous ones, unless `-a` adds the `all` filter.',
  'api.volumes.prune.reply':
    'dockerd answers {status}: {count} volume(s) removed by the local driver, and one `prune` event — no `destroy` event per volume.',
  'api.networks.prune':
    'Next the networks: `{call}`. dockerd deletes every user-defined network no container is attached to (bridge, host and none always stay).',
  'api.networks.prune.reply':
    'dockerd answers {status}: {count} network(s) deleted, each with its `destroy` event, then one `prune` event.',
  'api.build.prune':
    'Last the build cache: `{call}`. The CLI of Engine 20.10 and 29 alike asks dockerd, which hands it to BuildKit.',
  'api.build.prune.reply':
    'dockerd answers {status} and logs `builder prune`. (The simulation leaves its build cache as it is: {count} record(s) removed.)',
};
