// The narration catalogues with every language registered: the entry for Node (the dockstep
// command, tests). The browser imports ./text.ts and registers a language when it is chosen.
import { registerCatalogue } from './text.ts';
import { zhCN } from './zh-CN/index.ts';

registerCatalogue('zh-CN', zhCN);

export * from './text.ts';
