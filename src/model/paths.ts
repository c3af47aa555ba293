/**
 * POSIX path cleaning as Go's `filepath.Clean` after `filepath.Join(cwd, path)`: `.`, `..` and
 * repeated slashes resolved, always absolute (`..` above the root stays at the root).
 */
export function cleanPath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}
