#!/usr/bin/env node
// Runs the TypeScript entry through tsx, so the package needs no build step. SIGTERM and SIGINT
// are passed on, so `dockstep engine` under a supervisor shuts down when its wrapper is told to.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx/cli');
const child = spawn(
  process.execPath,
  [tsx, join(here, '..', 'engine', 'cli', 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
