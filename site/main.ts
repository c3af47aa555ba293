// The site's entry. boot.ts comes first so Mermaid is on its way before the app starts.
import './boot.ts';
import './live/enter.ts';
import './components/ds-app.ts';
