/**
 * The top-level directories every image of the catalogue has: `docker diff` marks a write under
 * one of them as a change (`C`), `docker cp` finds them besides the container's own writes.
 */
export const IMAGE_DIRS: readonly string[] = [
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/root',
  '/run',
  '/sbin',
  '/tmp',
  '/usr',
  '/var',
];
