import { SimHostFiles } from '../../src/sim/hostFiles.ts';
import { describeHostFilesContract } from './hostFiles.contract.ts';

// A lesson's files, under the working directory it names (scenario `files` and `cwd`).
describeHostFilesContract('sim: SimHostFiles (a lesson’s files)', (tree) => {
  const root = '/home/learner/app';
  const files = Object.fromEntries(Object.entries(tree).map(([path, text]) => [`${root}/${path}`, text]));
  return { files: new SimHostFiles(files, root), root };
});
