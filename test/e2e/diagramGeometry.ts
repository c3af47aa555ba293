// What a drawn diagram must look like, judged from the page's geometry (never pixels or time):
// every arrow starts and ends on the lifelines of the two layers it names, its label lies between
// them, no label runs into another, no note reaches out of its drawing, and each drawing appended
// below Mermaid's (site/components/diagramGrow.ts) starts below what is above it.
import type { Page } from 'playwright-core';

/**
 * Each check runs in the page, over every drawing of every drawn command, and says what is
 * wrong in words. Each is self-contained: it is sent to the page as its source.
 */

function arrowsOnLifelines(): string[] {
  const out: string[] = [];
  const root = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram')?.shadowRoot;
  for (const svg of root?.querySelectorAll<SVGSVGElement>('.chunk > svg') ?? []) {
    const cols = new Map<string, number>();
    for (const l of svg.querySelectorAll('line.actor-line'))
      cols.set(l.getAttribute('name') ?? '', Number(l.getAttribute('x1')));
    let labels: SVGGraphicsElement[] = [];
    for (const e of svg.querySelectorAll<SVGGraphicsElement>(
      'text.messageText, line.messageLine0, line.messageLine1, path.messageLine0, path.messageLine1',
    )) {
      if (e.matches('text')) {
        labels.push(e);
        continue;
      }
      const step = e.getAttribute('data-step') ?? '?';
      const from = cols.get(e.getAttribute('data-from') ?? '');
      const to = cols.get(e.getAttribute('data-to') ?? '');
      const ends = e.matches('line') ? [Number(e.getAttribute('x1')), Number(e.getAttribute('x2'))] : [];
      if (from === undefined || to === undefined) out.push(`arrow ${step} names a layer without a lifeline`);
      else if (ends.length && (Math.abs((ends[0] ?? 0) - from) > 10 || Math.abs((ends[1] ?? 0) - to) > 10))
        out.push(`arrow ${step} runs ${ends.join('→')}, its lifelines are at ${from} and ${to}`);
      else if (from !== to)
        for (const t of labels) {
          const b = t.getBBox();
          if (b.x < Math.min(from, to) - 2 || b.x + b.width > Math.max(from, to) + 2)
            out.push(`label "${t.textContent ?? ''}" of arrow ${step} is not between its lifelines`);
        }
      labels = [];
    }
  }
  return out;
}

function labelsApart(): string[] {
  const out: string[] = [];
  const root = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram')?.shadowRoot;
  for (const svg of root?.querySelectorAll<SVGSVGElement>('.chunk > svg') ?? []) {
    const texts = [...svg.querySelectorAll<SVGGraphicsElement>('text.messageText, text.noteText')];
    const boxes = texts.map((t) => t.getBBox());
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((c, j) => {
        const apart =
          Math.min(a.x + a.width, c.x + c.width) - Math.max(a.x, c.x) <= 2 ||
          Math.min(a.y + a.height, c.y + c.height) - Math.max(a.y, c.y) <= 2;
        if (!apart && a.width > 0 && c.width > 0)
          out.push(
            `labels "${texts[i]?.textContent ?? ''}" and "${texts[i + 1 + j]?.textContent ?? ''}" overlap`,
          );
      }),
    );
  }
  return out;
}

function notesInside(): string[] {
  const out: string[] = [];
  const root = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram')?.shadowRoot;
  for (const svg of root?.querySelectorAll<SVGSVGElement>('.chunk > svg') ?? []) {
    const vb = svg.viewBox.baseVal;
    for (const r of svg.querySelectorAll('rect.note')) {
      const [x, w] = [Number(r.getAttribute('x')), Number(r.getAttribute('width'))];
      if (x < vb.x - 1 || x + w > vb.x + vb.width + 1)
        out.push(`a note at ${x}..${x + w} reaches out of its drawing (${vb.x}..${vb.x + vb.width})`);
    }
  }
  return out;
}

function piecesInOrder(): string[] {
  const out: string[] = [];
  const root = document.querySelector('ds-app')?.shadowRoot?.querySelector('ds-diagram')?.shadowRoot;
  for (const chunk of root?.querySelectorAll('.chunk') ?? []) {
    let above = -Infinity;
    for (const [i, svg] of [...chunk.querySelectorAll(':scope > svg')].entries()) {
      const drawn = [...svg.querySelectorAll('.messageText, .messageLine0, .messageLine1, rect.note')].map(
        (e) => e.getBoundingClientRect(),
      );
      if (drawn.length === 0) continue;
      const top = Math.min(...drawn.map((r) => r.top));
      if (top < above - 1)
        out.push(`drawing ${i} starts ${Math.round(above - top)} px above the end of the one before`);
      above = Math.max(...drawn.map((r) => r.bottom));
    }
  }
  return out;
}

/** What is wrong with the diagram's drawings; none when it reads well. */
export async function diagramProblems(page: Page): Promise<string[]> {
  const checks = [arrowsOnLifelines, labelsApart, notesInside, piecesInOrder];
  return (await Promise.all(checks.map((check) => page.evaluate(check)))).flat();
}
