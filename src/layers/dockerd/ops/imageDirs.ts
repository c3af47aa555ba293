/**
 * The top-level directories every image of the catalogue has: the simulated storage driver's
 * (../../storage/pathStat.ts), where `docker cp`'s stat finds them; `docker diff` marks a write
 * under one of them as a change (`C`).
 */
export { IMAGE_DIRS } from '../../storage/pathStat.ts';
