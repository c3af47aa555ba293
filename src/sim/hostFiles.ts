import { resolvePath } from '../model/paths.ts';
import type { HostFileKind, HostFiles } from '../ports/hostFiles.ts';

/**
 * The host's files in memory: a map from absolute path to text. Directories are the parents of
 * the files given (as `mkdir -p` would leave them); a lesson gives only the files it needs.
 */
export class SimHostFiles implements HostFiles {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);

  constructor(
    files: Readonly<Record<string, string>> = {},
    readonly cwd = '/',
  ) {
    for (const [path, text] of Object.entries(files)) this.put(resolvePath(path), text);
  }

  private put(clean: string, text: string): void {
    this.files.set(clean, text);
    for (let i = clean.lastIndexOf('/'); i > 0; i = clean.lastIndexOf('/', i - 1))
      this.dirs.add(clean.slice(0, i));
  }

  write(path: string, text: string): void {
    this.put(this.resolve(path), text);
  }

  resolve(path: string): string {
    return resolvePath(path, this.cwd);
  }

  stat(path: string): HostFileKind | undefined {
    const clean = this.resolve(path);
    if (this.files.has(clean)) return 'file';
    return this.dirs.has(clean) ? 'dir' : undefined;
  }

  read(path: string): string | undefined {
    return this.files.get(this.resolve(path));
  }

  walk(dir: string): string[] {
    const root = this.resolve(dir);
    if (!this.dirs.has(root)) return [];
    const prefix = root === '/' ? '/' : `${root}/`;
    return [...this.files.keys()]
      .filter((p) => p.startsWith(prefix))
      .map((p) => p.slice(prefix.length))
      .sort();
  }
}
