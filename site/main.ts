// The site's entry: the app shell. Mermaid is not imported here; the diagram loads it lazily.
import './components/ds-app.ts';
