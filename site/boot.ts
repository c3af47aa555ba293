// Evaluated before anything else in the page (main.ts imports it first). The two slow things
// the first diagram waits for start here, side by side: the simulation, in a worker of its own
// (state/pageRunner.ts), and Mermaid, loaded on the page's thread meanwhile.
import { loadMermaid } from './components/diagramChunks.ts';
import './state/pageRunner.ts';
import { THEME_KEY } from './state/theme.ts';

// The theme chosen on an earlier visit, set before anything is drawn in its colours.
const theme = localStorage.getItem(THEME_KEY);
if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;

void loadMermaid(document.documentElement.dataset.theme === 'dark');
