// The reference for bench:site's cold load: a page that does nothing but load Mermaid, the way
// the site does (same chunk, same settings), and draw one diagram, the text given in `?text=`.
// No page can show a Mermaid diagram sooner on this machine.
import { loadMermaid } from '../../site/components/diagramChunks.ts';

const mermaid = await loadMermaid(false);
const text = new URLSearchParams(location.search).get('text') ?? 'sequenceDiagram\nA->>B: hello';
const { svg } = await mermaid.render('floor', text);
const box = document.getElementById('diagram');
if (box) box.innerHTML = svg;
performance.mark('dockstep:first-diagram');
