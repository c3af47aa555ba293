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
  build: { outDir: '../dist', emptyOutDir: true, rolldownOptions: { output: { codeSplitting: { groups: [mermaid.group] } } } },
  test: {
    root: '.',
    projects: [
      { test: { name: 'core', include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/golden/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'engine', include: ['test/engine/**/*.test.ts'], environment: 'node', testTimeout: 120_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000 } },
    ],
  },
});
