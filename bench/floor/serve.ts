import type { AddressInfo } from 'node:net';
import { build, preview } from 'vite';
import { mermaidCoreChunk } from '../../site/build/mermaidChunk.ts';

/** Build the Mermaid-only reference page (see main.ts) like the site, and serve it on loopback. */
export async function serveFloor(): Promise<{ url: string; close(): Promise<void> }> {
  const mermaid = mermaidCoreChunk();
  const common = { root: 'bench/floor', base: './', configFile: false as const, logLevel: 'warn' as const };
  await build({
    ...common,
    plugins: [mermaid.plugin],
    build: {
      outDir: '../../dist-floor',
      emptyOutDir: true,
      rolldownOptions: { output: { codeSplitting: { groups: [mermaid.group] } } },
    },
  });
  const server = await preview({
    ...common,
    build: { outDir: '../../dist-floor' },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const address = server.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}
