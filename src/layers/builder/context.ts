import { sha256Hex, utf8Encode } from '../../model/digest.ts';
import { resolvePath } from '../../model/paths.ts';

/**
 * The build context as the builder holds it: every file the CLI sent, by path relative to the
 * context's root. COPY resolves its sources here, never on the host (only the CLI reads the
 * host's disk), and hashes them: the legacy builder names the copy `file:<sha256>` (one file),
 * `dir:<sha256>` or `multi:<sha256>` in the step's Cmd, which makes the same contents hit the
 * cache (moby builder/dockerfile copy.go calcCopyInfo).
 */
export type BuildContext = Readonly<Record<string, string>>;

export interface CopyFile {
  /** Path in the context. */
  src: string;
  /** Absolute path in the image. */
  dest: string;
  size: number;
}

export interface CopyPlan {
  hash: string;
  files: CopyFile[];
}

const bytes = (text: string): number => utf8Encode(text).length;

function relative(src: string): string {
  return resolvePath(src).slice(1);
}

function sourceFiles(context: BuildContext, src: string): string[] | undefined {
  const rel = relative(src);
  if (rel !== '' && context[rel] !== undefined) return [rel];
  const prefix = rel === '' ? '' : `${rel}/`;
  const inside = Object.keys(context)
    .filter((p) => p.startsWith(prefix))
    .sort();
  return inside.length > 0 ? inside : undefined;
}

/** Where COPY puts its sources: `dest` as a directory when it ends in `/`, is `.`, or takes several files. */
export function planCopy(
  context: BuildContext,
  sources: readonly string[],
  dest: string,
  workdir: string,
): CopyPlan | { missing: string } {
  const target = resolvePath(dest, workdir || '/');
  const lists: string[][] = [];
  for (const src of sources) {
    const found = sourceFiles(context, src);
    if (!found) return { missing: src };
    lists.push(found);
  }
  const isDir = (i: number): boolean => context[relative(sources[i] ?? '')] === undefined;
  const asDir = dest.endsWith('/') || dest === '.' || sources.length > 1 || isDir(0);
  const files: CopyFile[] = [];
  lists.forEach((list, i) => {
    const root = relative(sources[i] ?? '');
    for (const src of list) {
      const under = isDir(i) ? src.slice(root === '' ? 0 : root.length + 1) : (src.split('/').pop() ?? src);
      files.push({ src, dest: asDir ? resolvePath(under, target) : target, size: bytes(context[src] ?? '') });
    }
  });
  const sums = files.map((f) => `${f.dest}:${sha256Hex(context[f.src] ?? '')}`);
  const kind = sources.length > 1 ? 'multi' : isDir(0) ? 'dir' : 'file';
  const hash = kind === 'file' ? sha256Hex(context[files[0]?.src ?? ''] ?? '') : sha256Hex(sums.join('\n'));
  return { hash: `${kind}:${hash}`, files };
}

/** The size of the tar the CLI streams: a 512-byte header per entry, data padded to 512, two end blocks. */
export function tarSize(context: BuildContext): number {
  const dirs = new Set<string>();
  let size = 1024;
  for (const [path, text] of Object.entries(context)) {
    size += 512 + Math.ceil(bytes(text) / 512) * 512;
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) dirs.add(path.slice(0, i));
  }
  return size + dirs.size * 512;
}
