// The package's version, for `dockstep --version`: put in by the build (engine/cli/build.mjs
// defines DOCKSTEP_VERSION from package.json); read from package.json when run from the sources.
import { readFileSync } from 'node:fs';

declare const DOCKSTEP_VERSION: string | undefined;

function fromPackage(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export const VERSION: string = typeof DOCKSTEP_VERSION === 'string' ? DOCKSTEP_VERSION : fromPackage();
