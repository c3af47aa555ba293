// Entry of an unpack worker thread: registers tsx's loader in this thread (the package has no
// build step), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
