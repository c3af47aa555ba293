// Builds the `dockstep` command into dist/cli/ (run by `npm install` through `prepare`, and by
// `npm run build:cli`): one bundle per entry — the command line, and the unpack worker thread it
// starts — with each command in its own chunk, loaded when that command runs. So `dockstep` is
// one Node process running plain JavaScript: no TypeScript compiled at every start, no loader
// process in between. bin/dockstep.mjs runs it (or the sources through tsx while no build exists).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    dockstep: 'engine/cli/main.ts',
    // pool.ts starts `new URL('./worker-boot.mjs', import.meta.url)`: beside the chunks here.
    'worker-boot': 'engine/image/unpack/worker.ts',
  },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The packages stay in node_modules (yaml, xstate, @bufbuild/protobuf): resolved as usual.
  packages: 'external',
  define: { DOCKSTEP_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
});
// What the build was made from, and when: bin/dockstep.mjs runs the sources instead while any of
// them is newer (an edited checkout never runs a stale build).
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/'));
writeFileSync(join(root, 'dist', 'cli', 'inputs.json'), JSON.stringify({ builtAt: Date.now(), inputs }));
