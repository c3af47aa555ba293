/** Go's path.Clean for slash-separated paths (https://pkg.go.dev/path#Clean). */
export function cleanPath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

/** Whether `path` is `dir` or inside it (both clean and absolute). */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * A path as a program with working directory `cwd` opens it: Go's `filepath.Clean` after
 * `filepath.Join(cwd, path)`, always absolute (`..` above the root stays at the root).
 */
export function resolvePath(path: string, cwd = '/'): string {
  return cleanPath(path.startsWith('/') ? path : `${cwd}/${path}`);
}
