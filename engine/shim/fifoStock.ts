// FIFOs made ahead. Node has no mkfifo(2), so each FIFO costs a mkfifo(1) process, and a
// container needs three before its shim can start (its stdout and stderr, the shim's log). A
// stock under a directory (the engine's run directory) keeps FIFOs made in batches, one
// `mkfifo -m 0700 A B …` process for many, and hands one out with rename(2), which moves the
// FIFO itself (same inode, same mode) into place: what the shim opens is a FIFO made with
// mkfifo, as containerd's cio makes them (github.com/containerd/fifo), only earlier.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execute } from './exec.ts';

/** FIFOs made per mkfifo process; a new batch is made when half of one is left. */
const BATCH = 32;

export class FifoStock {
  private readonly ready: string[] = [];
  private filling: Promise<void> | undefined;
  private made = 0;
  private closed = false;

  /** FIFOs for paths under `under`, kept in `under/.fifo-stock` (the same file system). */
  constructor(readonly under: string) {}

  get dir(): string {
    return join(this.under, '.fifo-stock');
  }

  /** Moves a FIFO of the stock to `path`; false when none is ready (the caller makes one). */
  async take(path: string): Promise<boolean> {
    const fifo = this.ready.pop();
    if (this.ready.length < BATCH / 2) this.fill();
    if (fifo === undefined) return false;
    return rename(fifo, path).then(
      () => true,
      () => false,
    );
  }

  /** Starts making the next batch, unless one is being made. */
  fill(): void {
    if (this.filling !== undefined || this.closed) return;
    const names = Array.from({ length: BATCH }, () => join(this.dir, `fifo-${++this.made}`));
    this.filling = mkdir(this.dir, { recursive: true, mode: 0o700 })
      .then(() => execute('mkfifo', ['-m', '0700', ...names]))
      .then((ran) => {
        if (ran.code === 0 && !this.closed) this.ready.push(...names);
      })
      .catch(() => undefined)
      .finally(() => (this.filling = undefined));
  }

  /** No more FIFOs: the ones made and not taken are removed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
    this.ready.length = 0;
    await rm(this.dir, { recursive: true, force: true });
  }
}

const stocks = new Set<FifoStock>();

/** Keeps a stock of FIFOs for the paths under `under` (the engine's run directory). */
export function stockFifos(under: string): FifoStock {
  const stock = new FifoStock(under);
  stocks.add(stock);
  stock.fill();
  return stock;
}

/** The stock is no longer used (the engine stops). */
export async function closeFifoStock(stock: FifoStock): Promise<void> {
  stocks.delete(stock);
  await stock.close();
}

/** A FIFO of a stock moved to `path`, if a stock keeps FIFOs for it and has one ready. */
export async function takeStockedFifo(path: string): Promise<boolean> {
  for (const stock of stocks) if (path.startsWith(`${stock.under}/`) && (await stock.take(path))) return true;
  return false;
}
