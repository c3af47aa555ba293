import type { Lang } from '../../src/i18n/text.ts';
import type { Trace } from '../../src/model/trace.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { narrationLines } from '../../src/views/narration.ts';
import { cliOutput } from '../../src/views/trace.ts';
import { ui } from '../i18n/ui.ts';
import { loadMermaid } from './diagramChunks.ts';

/**
 * The files the export buttons make, all in the page: the diagrams stacked into one SVG, that
 * SVG painted onto a canvas for a PNG, and a Markdown transcript. Saving goes through a Blob,
 * an object URL and a temporary `<a download>`; nothing leaves the machine.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Chromium refuses canvases over 32767 px a side or ~268 M px; stay well inside (memory too). */
const MAX_CANVAS = 16_000;
const MAX_AREA = 50_000_000;

export function save(parent: Node, blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.hidden = true;
  parent.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function sizeOf(svg: SVGSVGElement): { w: number; h: number } {
  const vb = svg.viewBox.baseVal;
  if (vb && vb.width > 0 && vb.height > 0) return { w: vb.width, h: vb.height };
  const box = svg.getBoundingClientRect();
  return { w: box.width || 800, h: box.height || 600 };
}

/** One SVG document with each command's diagram under the previous one. */
export function stackSvgs(
  svgs: readonly SVGSVGElement[],
  background: string,
): { text: string; width: number; height: number } {
  const sizes = svgs.map(sizeOf);
  const width = Math.ceil(Math.max(...sizes.map((s) => s.w)));
  const height = Math.ceil(sizes.reduce((sum, s) => sum + s.h, 0));
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  out.appendChild(bg);
  let y = 0;
  svgs.forEach((svg, i) => {
    const copy = svg.cloneNode(true) as SVGSVGElement;
    const { w, h } = sizes[i] as { w: number; h: number };
    copy.querySelectorAll('.current').forEach((e) => e.classList.remove('current'));
    copy.removeAttribute('style');
    copy.setAttribute('x', '0');
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(w));
    copy.setAttribute('height', String(h));
    out.appendChild(copy);
    y += h;
  });
  return { text: new XMLSerializer().serializeToString(out), width, height };
}

/** Paint an SVG document onto a canvas and encode it as PNG (2× for sharp text when it fits). */
export async function svgToPng(text: string, width: number, height: number): Promise<Blob> {
  const img = new Image();
  img.decoding = 'async';
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const scale = Math.min(2, MAX_CANVAS / width, MAX_CANVAS / height, Math.sqrt(MAX_AREA / (width * height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(width * scale));
  canvas.height = Math.max(1, Math.floor(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob gave nothing'))), 'image/png'),
  );
}

/** A fence longer than any run of backticks inside, so the text can never close it early. */
function fenced(info: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${body.endsWith('\n') ? body : `${body}\n`}${fence}`;
}

/**
 * Markdown special characters in a narration line, escaped after its `n. ` list marker. The
 * catalogue quotes calls in backticks: those code spans are kept as they are (no escape works
 * inside them), unless the backticks do not pair up.
 */
function escapeLine(line: string): string {
  const [, num = '', rest = line] = /^(\d+\. )?(.*)$/s.exec(line) ?? [];
  const escape = (text: string) => text.replace(/([\\*_[\]<>])/g, '\\$1');
  const ticks = rest.split('`').length - 1;
  if (ticks % 2 === 1) return num + escape(rest).replace(/`/g, '\\`');
  return (
    num +
    rest
      .split(/(`[^`]*`)/)
      .map((part) => (part.startsWith('`') ? part : escape(part)))
      .join('')
  );
}

/**
 * The run as far as step `upTo`: every entry before the next message (so the output written
 * after step n comes with it), and the commands begun by then. Exports "up to this step" use it.
 */
export function traceUpTo(trace: Trace, upTo: number): Trace {
  const end = trace.entries.findIndex((e) => e.type === 'message' && e.message.seq > upTo);
  const entries = end < 0 ? [...trace.entries] : trace.entries.slice(0, end);
  const begun = entries.reduce((n, e) => (e.type === 'command' ? Math.max(n, e.command + 1) : n), 0);
  return { ...trace, commands: trace.commands.slice(0, begun), entries };
}

let exportCount = 0;

/** One SVG of a whole (cut) run, drawn apart from the page's diagram, for an export. */
export async function drawWhole(trace: Trace, lang: Lang, dark: boolean): Promise<SVGSVGElement> {
  const mermaid = await loadMermaid(dark);
  const { svg } = await mermaid.render(`ds-export-${++exportCount}`, toMermaid(trace, { lang }));
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (!(root instanceof SVGSVGElement)) throw new Error('mermaid drew no svg');
  return root;
}

export function markdownTranscript(trace: Trace, lang: Lang): string {
  const total = trace.entries.reduce((n, e) => (e.type === 'message' ? n + 1 : n), 0);
  return [
    `# ${ui('export.title', lang)}`,
    ui('export.meta', lang, { seed: trace.seed, profile: trace.profile, total }),
    `## ${ui('export.commands', lang)}`,
    fenced('sh', trace.commands.map((c) => `$ ${c}`).join('\n')),
    `## ${ui('export.steps', lang)}`,
    narrationLines(trace, lang).map(escapeLine).join('\n'),
    `## ${ui('export.output', lang)}`,
    fenced('console', cliOutput(trace)),
    `## ${ui('diagram.heading', lang)}`,
    fenced('mermaid', toMermaid(trace, { lang })),
    '',
  ].join('\n\n');
}
