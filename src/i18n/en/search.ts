import type { Catalogue } from '../index.ts';

/** `docker search` and `docker logout`. */
export const search: Catalogue = {
  'api.images.search':
    'The CLI asks dockerd to search: `{call}`. The CLI itself never talks to Docker Hub here; the daemon does.',
  'api.images.search.reply':
    'dockerd answers {status} with {count} result(s), filtered as asked; the CLI prints NAME, DESCRIPTION (cut at 45 columns), STARS and OFFICIAL.',
  'registry.search':
    'dockerd asks the index for “{term}”: `{call}` — Docker Hub’s old v1 search API, still the one dockerd uses. In the simulation the index is the built-in catalogue: no search leaves this page, and the simulated index counts no stars.',
  'cli.logout':
    'No request at all, not even a ping: the CLI erases the saved credentials for {server} from its own config file (or asks the credential helper it names to forget them). dockerd never keeps registry passwords.',
};
