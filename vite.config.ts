/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { mermaidCoreChunk } from './site/build/mermaidChunk.ts';

const mermaid = mermaidCoreChunk();

// One config for the site (root: site/) and the test projects.
// core: pure, fast, runs everywhere. engine: real mode, root, Linux. e2e: real Chromium.
export default defineConfig({
  root: 'site',
  base: './',
  plugins: [mermaid.plugin],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    rolldownOptions: { output: { codeSplitting: { groups: [mermaid.group] } } },
  },
  // The simulation's worker (site/state/workerRunner.ts) is a module, as the page's code.
  worker: { format: 'es' },
  test: {
    root: '.',
    projects: [
      // Tests judge behaviour, not speed: on a busy machine a spawned `dockstep` or a long
      // simulation may take many times its quiet time, so no case fails for vitest's 5 s default.
      {
        test: {
          name: 'core',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/golden/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
