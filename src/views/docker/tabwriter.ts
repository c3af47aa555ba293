/**
 * docker/cli's fork of Go's text/tabwriter, with the settings every table formatter uses:
 * `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)` — minwidth 10, tabwidth 1, padding 3, spaces,
 * no flags. Widths are go-runewidth display widths (the fork's only change).
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/formatter/formatter.go (postFormat)
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/formatter/tabwriter/tabwriter.go
 *
 * The algorithm is kept whole because its corners show in real output: a column's width is
 * computed per *block* of consecutive lines that have that column, the last cell of a line is
 * never padded, and a line without any tab flushes everything before it.
 */
import { stringWidth } from './text.ts';

interface Cell {
  text: string;
  width: number;
  /** Terminated by '\t' (not by a line break or the end of input). */
  htab: boolean;
}

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

export const DOCKER_TABWRITER: TabwriterOptions = { minwidth: 10, padding: 3 };

class Writer {
  private lines: Cell[][] = [[]];
  private widths: number[] = [];
  private cell = '';
  private out = '';

  constructor(private readonly opts: TabwriterOptions) {}

  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
        const ncells = this.terminateCell(ch === '\t');
        if (ch === '\n' || ch === '\f') {
          this.lines.push([]);
          // A line with a single cell cannot be part of a column: flush what came before.
          if (ch === '\f' || ncells === 1) this.flush();
        }
      } else {
        this.cell += ch;
      }
    }
  }

  flush(): string {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
    return this.out;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1] ?? [];
    line.push({ text: this.cell, width: stringWidth(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  /** Go's `format`: find each block of lines sharing column `widths.length`, size it, recurse. */
  private format(start: number, end: number): void {
    let line0 = start;
    const column = this.widths.length;
    for (let t = start; t < end; t++) {
      if (column >= (this.lines[t]?.length ?? 0) - 1) continue;
      this.writeLines(line0, t);
      line0 = t;
      let width = this.opts.minwidth;
      for (; t < end; t++) {
        const line = this.lines[t] ?? [];
        if (column >= line.length - 1) break;
        const w = (line[column]?.width ?? 0) + this.opts.padding;
        if (w > width) width = w;
      }
      this.widths.push(width);
      this.format(line0, t);
      this.widths.pop();
      line0 = t;
    }
    this.writeLines(line0, end);
  }

  private writeLines(start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const line = this.lines[i] ?? [];
      line.forEach((c, j) => {
        this.out += c.text;
        const cellWidth = this.widths[j];
        if (cellWidth !== undefined) this.out += ' '.repeat(cellWidth - c.width);
      });
      // The last line is the unterminated one: it ends without a newline.
      if (i + 1 === this.lines.length) this.out += this.cell;
      else this.out += '\n';
    }
  }
}

/** Run text (cells separated by '\t', lines by '\n') through docker's tabwriter. */
export function tabwriteText(text: string, opts: TabwriterOptions = DOCKER_TABWRITER): string {
  const w = new Writer(opts);
  w.write(text);
  return w.flush();
}

/**
 * A table as docker prints it: each row is what the row template renders (cells joined by
 * '\t') followed by '\n', so the result ends with a newline after every row.
 */
export function tabwrite(rows: string[][], opts: TabwriterOptions = DOCKER_TABWRITER): string {
  return tabwriteText(rows.map((r) => r.join('\t') + '\n').join(''), opts);
}
