#!/usr/bin/env node
// The `dockstep` command. It runs the built command (dist/cli/, made by `npm install` or
// `npm run build:cli`: engine/cli/build.mjs) in this very process: plain JavaScript, one Node
// process for every command, `dockstep engine` included. Without a current build (none made, or
// a source edited since) it runs the TypeScript sources through tsx in a child process, passing
// SIGTERM and SIGINT on, so `dockstep engine` under a supervisor still shuts down cleanly.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'dockstep.mjs');

/** The build exists and no source it was made from changed after it. */
function current() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(join(root, 'dist', 'cli', 'inputs.json'), 'utf8'));
    return inputs.every((p) => statSync(join(root, p)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

if (current()) {
  await import(pathToFileURL(built).href);
} else {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const child = spawn(
    process.execPath,
    [tsx, join(root, 'engine', 'cli', 'main.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}
