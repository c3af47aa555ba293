#!/usr/bin/env node
// The `dockstep` command. It runs the built command (dist/cli/, made by `npm install` or
// `npm run build:cli`: engine/cli/build.mjs) in this very process: plain JavaScript, one Node
// process for every command, `dockstep engine` included. Without a current build (none made, or
// a source edited since) it runs the TypeScript sources through tsx in a child process, passing
// SIGTERM and SIGINT on, so `dockstep engine` under a supervisor still shuts down cleanly.
// Only what every command needs is imported here; the fallback's modules are loaded by the
// fallback alone.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'dockstep.mjs');

/** Whether `dockstep ARGV` is an Engine API client command, as engine/cli/main.ts routes it. */
const isClient = (argv, verbs) => {
  const first = argv[0] ?? '';
  return verbs.includes(first) || first.startsWith('-H') || first === '--host' || first.startsWith('--host=');
};

/**
 * The build exists and no source it was made from changed after it: for a client command, the
 * sources of what it runs (dist/cli/inputs.json, engine/cli/build.mjs).
 */
function current() {
  try {
    const { builtAt, inputs, client } = JSON.parse(
      readFileSync(join(root, 'dist', 'cli', 'inputs.json'), 'utf8'),
    );
    const sources = isClient(process.argv.slice(2), client.verbs) ? client.inputs : inputs;
    return sources.every((p) => statSync(join(root, p)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

if (current()) {
  await import(pathToFileURL(built).href);
} else {
  const [{ spawn }, { createRequire }] = await Promise.all([
    import('node:child_process'),
    import('node:module'),
  ]);
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(
    process.execPath,
    [tsx, join(root, 'engine', 'cli', 'main.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}
