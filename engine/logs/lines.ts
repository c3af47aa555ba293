// The lines of a file between two offsets, read forward in chunks (a follower reads the same file
// again from where it stopped), and the offset where its last N lines start, found by reading
// backwards from the end, as moby pkg/tailfile does for `docker logs --tail N`: a big log is
// never read whole for a short tail.
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/** Lines (without their newline) of `fh` from `from` to `to`; a last line without a newline is
 * not given (the writer is still writing it) and `next` says where it starts. */
export async function* linesBetween(
  fh: FileHandle,
  from: number,
  to: number,
  next: { offset: number } = { offset: from },
): AsyncGenerator<Buffer> {
  let pos = from;
  let carry = Buffer.alloc(0);
  next.offset = from;
  while (pos < to) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, to - pos));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    const data =
      carry.length === 0 ? buf.subarray(0, bytesRead) : Buffer.concat([carry, buf.subarray(0, bytesRead)]);
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
      const line = data.subarray(start, nl);
      start = nl + 1;
      next.offset = pos - data.length + start;
      yield line;
    }
    carry = Buffer.from(data.subarray(start));
  }
}

/** How many complete lines the last `size` bytes hold, up to `want`, and where the earliest of
 * them starts: `{ count, start }` with `count < want` when the file has fewer. */
export async function tailOffset(
  fh: FileHandle,
  size: number,
  want: number,
): Promise<{ count: number; start: number }> {
  // The newline that ends the last line is not a line start; each one before it is.
  let count = 0;
  let end = size - 1;
  while (end > 0 && count < want) {
    const from = Math.max(0, end - CHUNK);
    const buf = Buffer.allocUnsafe(end - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a) continue;
      count++;
      if (count === want) return { count, start: from + i + 1 };
    }
    end = from;
  }
  return { count: size > 0 ? count + 1 : 0, start: 0 };
}
