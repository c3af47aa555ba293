import type { DockerCommand } from '../../../cli/types.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Cli } from '../cli.ts';
import { commit, cp, exportContainer } from './copyExport.ts';
import { diff, port, rename } from './renamePort.ts';
import { imagePrune, systemPrune } from './prune.ts';
import { search } from './searchLogout.ts';
import { stats } from './stats.ts';
import { top, update } from './topUpdateStats.ts';
import { containerPrune, systemDf } from './volume.ts';

/** The commands dispatch (cliMachine.ts) hands on: a container's tools, prunes and disk usage. */
export type MoreCommand = Extract<
  DockerCommand,
  {
    name:
      | 'container prune'
      | 'system df'
      | 'rename'
      | 'port'
      | 'diff'
      | 'top'
      | 'update'
      | 'stats'
      | 'cp'
      | 'export'
      | 'search'
      | 'image prune'
      | 'system prune'
      | 'commit';
  }
>;

export function* dispatchMore(cli: Cli, cmd: MoreCommand): OperationProgram {
  switch (cmd.name) {
    case 'container prune':
      return yield* containerPrune(cli);
    case 'system df':
      return yield* systemDf(cli);
    case 'rename':
      return yield* rename(cli, cmd);
    case 'port':
      return yield* port(cli, cmd);
    case 'diff':
      return yield* diff(cli, cmd);
    case 'top':
      return yield* top(cli, cmd);
    case 'update':
      return yield* update(cli, cmd);
    case 'stats':
      return yield* stats(cli, cmd);
    case 'cp':
      return yield* cp(cli, cmd);
    case 'export':
      return yield* exportContainer(cli, cmd);
    case 'search':
      return yield* search(cli, cmd);
    case 'image prune':
      return yield* imagePrune(cli, cmd);
    case 'system prune':
      return yield* systemPrune(cli, cmd);
    case 'commit':
      return yield* commit(cli, cmd);
  }
}
