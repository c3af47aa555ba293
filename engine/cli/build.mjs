// Builds the `dockstep` command into dist/cli/ (run by `npm install` through `prepare`, and by
// `npm run build:cli`): one bundle per entry — the command line, and the unpack worker thread it
// starts — with each command in its own chunk, loaded when that command runs. So `dockstep` is
// one Node process running plain JavaScript: no TypeScript compiled at every start, no loader
// process in between. bin/dockstep.mjs runs it (or the sources through tsx while no build exists).
//
// The Engine API client (`dockstep images`, `pull`, … engine/client/main.ts) is a bundle of its
// own, one file, which the command line imports as it is: a client command reads two files of
// the build, not the seven chunks it shares with the rest (each an asynchronous read in Node's
// module loader), and nothing of the machines, xstate or the simulation.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const CLIENT_BUNDLE = './client.mjs';

const common = {
  absWorkingDir: root,
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The packages stay in node_modules (yaml, xstate, @bufbuild/protobuf): resolved as usual.
  packages: 'external',
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
};

/** engine/cli/main.ts's import of the client becomes an import of the client's own bundle. */
const clientAsBundle = {
  name: 'client-as-bundle',
  setup(b) {
    b.onResolve({ filter: /\/client\/main\.ts$/ }, (args) =>
      args.importer.endsWith(join('engine', 'cli', 'main.ts'))
        ? { path: CLIENT_BUNDLE, external: true }
        : undefined,
    );
  },
};

const [cli, client] = await Promise.all([
  build({
    ...common,
    entryPoints: {
      dockstep: 'engine/cli/main.ts',
      // pool.ts starts `new URL('./worker-boot.mjs', import.meta.url)`: beside the chunks here.
      'worker-boot': 'engine/image/unpack/worker.ts',
    },
    splitting: true,
    define: { DOCKSTEP_VERSION: JSON.stringify(version) },
    plugins: [clientAsBundle],
  }),
  build({ ...common, entryPoints: { client: 'engine/client/main.ts' } }),
]);
// What the build was made from, and when: bin/dockstep.mjs runs the sources instead while any of
// them is newer (an edited checkout never runs a stale build). A client command needs only the
// sources of the client's bundle and of the command line's own file current: checking those alone
// spares it a stat of every source at each start (about 550, 15–30 ms on a busy machine).
const sources = (results) =>
  [...new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)))].filter(
    (p) => !p.startsWith('node_modules/'),
  );
/** The sources of `entry` and of the chunks it imports statically (not its commands' own chunks). */
function staticSources(result, entry) {
  const seen = new Set();
  const visit = (out) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of result.metafile.outputs[out]?.imports ?? [])
      if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  return [...seen].flatMap((out) => Object.keys(result.metafile.outputs[out]?.inputs ?? {}));
}
const { CLIENT_VERBS } = await import(pathToFileURL(join(root, 'dist', 'cli', 'client.mjs')).href);
const manifest = {
  builtAt: Date.now(),
  inputs: sources([cli, client]),
  client: {
    verbs: CLIENT_VERBS,
    inputs: [...sources([client]), ...staticSources(cli, 'dist/cli/dockstep.mjs')],
  },
};
writeFileSync(join(root, 'dist', 'cli', 'inputs.json'), JSON.stringify(manifest));
