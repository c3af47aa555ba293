import { css } from 'lit';

/** The diagram's look (ds-diagram.ts): why each rule is there is said beside it. */
export const diagramStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    position: relative;
    background: var(--ds-diagram-bg, #fff);
    contain: strict;
  }
  /* An opaque background lets Chromium scroll this on the compositor (else it repaints the
     drawing on every scroll to keep subpixel text). */
  #scroll {
    flex: 1 1 0;
    min-height: 0;
    overflow: auto;
    position: relative;
    will-change: scroll-position;
    background: var(--ds-diagram-bg, #fff);
  }
  /* clip, not hidden: the chunk is no scroll container, so its wide SVG still scrolls the
     diagram sideways, and nothing can scroll the clipped steps into view. */
  .chunk {
    position: relative;
    width: max-content;
    min-width: 100%;
    overflow-x: visible;
    overflow-y: clip;
  }
  /* Blocks, not inline: a drawing appended below Mermaid's (diagramGrow.ts) follows it with no
     gap of a text line's descent. */
  .chunk > svg {
    display: block;
  }
  .chunk[data-state='future'] {
    height: 0;
  }
  .loading {
    padding: 1rem;
    font-style: italic;
  }
  /* Per step only these two move, by transform: the compositor does it without a new layout
     or a repaint of the drawing. The curtain hides the current command's later messages. */
  #curtain,
  #band {
    position: absolute;
    left: 0;
    top: 0;
    will-change: transform;
    pointer-events: none;
  }
  #curtain {
    width: 100%;
    background: var(--ds-diagram-bg, #fff);
  }
  #marks {
    position: absolute;
    left: 0;
    top: 0;
    width: 0;
    height: 0;
    overflow: visible;
    will-change: transform;
    pointer-events: none;
    z-index: 1;
  }
  #band {
    border: 3px solid var(--ds-accent, #c2410c);
    border-radius: 6px;
    background: color-mix(in srgb, var(--ds-accent, #c2410c) 10%, transparent);
  }
  #band::before {
    content: '▶';
    position: absolute;
    left: -1.4rem;
    top: 50%;
    translate: 0 -50%;
    color: var(--ds-accent, #c2410c);
  }
  /* The current message's label keeps its look: restyling text inside the drawing would make
     Chromium paint the whole SVG again on every step. The band marks it instead. */
  /* The participant names: a strip that stays at the top and scrolls sideways with the columns. */
  #head-anchor {
    position: sticky;
    top: 0;
    height: 0;
    z-index: 2;
    will-change: transform;
  }
  #head {
    overflow: hidden;
    width: max-content;
    min-width: 100%;
    background: var(--ds-diagram-bg, #fff);
    border-bottom: 1px solid var(--ds-border, #d0d0d0);
  }
  #head:empty {
    display: none;
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    align-items: center;
    justify-content: flex-end;
    padding: 0.25rem 0.4rem;
    border-bottom: 1px solid var(--ds-border, #d0d0d0);
  }
  .tools button {
    font: inherit;
    min-height: 2rem;
    min-width: 2rem;
  }
  .tools .zoom {
    font-variant-numeric: tabular-nums;
    min-width: 3.5rem;
  }
  /* Over a repeated block's loop label (diagramBlocks.ts): the label itself shows through. */
  button.block {
    position: absolute;
    z-index: 1;
    padding: 0;
    border: 2px dashed transparent;
    border-radius: 4px;
    background: transparent;
    cursor: pointer;
  }
  button.block:hover {
    border-color: var(--ds-accent, #c2410c);
  }
  button.block:focus-visible {
    outline: 3px solid var(--ds-focus, #1c7ed6);
  }
  .tools button:focus-visible,
  #scroll:focus-visible {
    outline: 3px solid var(--ds-focus, #1c7ed6);
    outline-offset: -3px;
  }
`;
