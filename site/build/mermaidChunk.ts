import type { Plugin } from 'vite';

/**
 * Mermaid's own build splits its core into about twenty small modules, all needed before the
 * first diagram. Over HTTP/1.1 a browser opens six connections to a host, so they would arrive
 * in waves. This plugin finds everything Mermaid's core imports statically (its diagram types
 * stay separate: they are imported on demand) and has the bundler put it in one chunk, which the
 * page then asks for as soon as its HTML is read (`modulepreload`: fetched and compiled on
 * another thread, run only when the page imports it).
 */
export function mermaidCoreChunk(): {
  plugin: Plugin;
  group: { name: string; test: (id: string) => boolean; includeDependenciesRecursively: boolean };
} {
  const core = new Set<string>();
  const plugin: Plugin = {
    name: 'dockstep:mermaid-core-chunk',
    apply: 'build',
    buildEnd() {
      const entry = [...this.getModuleIds()].find((id) =>
        /node_modules\/mermaid\/dist\/mermaid\.core\.mjs$/.test(id),
      );
      const todo = entry ? [entry] : [];
      for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
        if (core.has(id)) continue;
        core.add(id);
        todo.push(...(this.getModuleInfo(id)?.importedIds ?? []));
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'mermaid');
        return chunk
          ? [{ tag: 'link', attrs: { rel: 'modulepreload', href: `./${chunk.fileName}` }, injectTo: 'head' }]
          : [];
      },
    },
  };
  // Only Mermaid's own code and its packages: a helper the bundler injects (its preloader) is
  // shared with the page and must stay out, or the page would wait for all of Mermaid.
  return {
    plugin,
    group: {
      name: 'mermaid',
      test: (id) => core.has(id) && id.includes('/node_modules/'),
      includeDependenciesRecursively: false,
    },
  };
}
