// The docker CLI's config file, read for registry credentials only (see auth.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registryAuthFrom } from './auth.ts';

/** Reads `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`; absent file → no credentials. */
export function registryAuth(
  ref: string,
  env: Record<string, string | undefined>,
  home: string,
): string | undefined {
  const dir = env['DOCKER_CONFIG'] || join(home, '.docker');
  let text: string;
  try {
    text = readFileSync(join(dir, 'config.json'), 'utf8');
  } catch {
    return undefined;
  }
  return registryAuthFrom(text, ref);
}
