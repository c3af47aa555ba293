/**
 * What the simulated registry holds, by the names a learner types: for telling someone whose
 * image is not there which ones are. Kept apart from the catalogue itself, which computes every
 * document and digest when loaded; a test checks the two agree.
 */
export const CATALOGUE_NAMES: readonly string[] = [
  'busybox',
  'alpine',
  'nginx',
  'redis',
  'hello-world',
  'ubuntu',
  'debian',
  'registry.k8s.io/pause',
];
