// The host files' contract (test/contract/hostFiles.contract.ts) against a real directory: the
// tree written to a temporary directory on this host and read the way `dockstep sim --files DIR`
// reads it (engine/cli/hostFiles.ts), so a build in the simulation sees a real context as the
// docker CLI would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readHostFiles } from '../../engine/cli/hostFiles.ts';
import { SimHostFiles } from '../../src/sim/hostFiles.ts';
import { describeHostFilesContract } from '../contract/hostFiles.contract.ts';
import { realSuite } from './helpers/caps.ts';
import { tempDir } from './helpers/tmp.ts';

realSuite('the real host files', [], () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  describeHostFilesContract(
    'real: a directory on this host, read as dockstep sim --files reads it',
    (tree) => {
      const dir = tempDir('hostfiles');
      dirs.push(dir);
      for (const [path, text] of Object.entries(tree)) {
        mkdirSync(dirname(join(dir.path, path)), { recursive: true });
        writeFileSync(join(dir.path, path), text);
      }
      const { files, cwd } = readHostFiles(dir.path);
      return { files: new SimHostFiles(files, cwd), root: cwd };
    },
    { teardown: () => dirs.splice(0).forEach((d) => d.remove()) },
  );
});
