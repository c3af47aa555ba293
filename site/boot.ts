// Evaluated before anything else in the page (main.ts imports it first). The two slow things
// the first diagram waits for start here, side by side: the simulation's code, and Mermaid, which
// the browser compiles on another thread while the page computes the run.
import { loadMermaid } from './components/diagramChunks.ts';
import './state/lazyRunner.ts';

void loadMermaid(document.documentElement.dataset.theme === 'dark');
