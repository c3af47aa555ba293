// The site's entry: the app shell. Mermaid is not bundled here: it is fetched at once, in
// parallel with the first run's computation, and the diagram waits for it.
import { loadMermaid } from './components/diagramChunks.ts';
import './components/ds-app.ts';

void loadMermaid(document.documentElement.dataset.theme === 'dark');
