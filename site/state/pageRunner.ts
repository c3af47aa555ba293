import { LazyRunner } from './lazyRunner.ts';
import type { Runner } from './runner.ts';
import { WorkerRunner } from './workerRunner.ts';

function pageRunnerOf(): Runner {
  if (typeof Worker !== 'function') return new LazyRunner();
  try {
    return new WorkerRunner();
  } catch {
    // A page that may not start workers (a content security policy): its own thread, then.
    return new LazyRunner();
  }
}

/**
 * The page's one runner, made as the page boots (see boot.ts), so the simulation starts loading
 * beside Mermaid: on a thread of its own where the browser can (workerRunner.ts).
 */
export const pageRunner: Runner = pageRunnerOf();
