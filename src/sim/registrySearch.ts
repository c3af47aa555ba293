import type { RegistryResponse } from '../ports/registry.ts';
import { CATALOGUE } from './catalogue/index.ts';

/**
 * Docker Hub's search API (`GET /v1/search?q=TERM&n=LIMIT` on index.docker.io, the v1 index that
 * dockerd still asks: moby registry/session.go searchRepositories), answered from the simulated
 * catalogue: never from the real index. Each official image's short description is the one its
 * Docker Hub page gives; the simulated index counts no stars, so every image has 0.
 */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  busybox: 'Busybox base image.',
  alpine: 'A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB in size!',
  nginx: 'Official build of Nginx.',
  redis: 'Redis is the world’s fastest data platform for caching, vector search, and NoSQL databases.',
  'hello-world': 'Hello World! (an example of minimal Dockerization)',
  ubuntu: 'Ubuntu is a Debian-based Linux operating system based on free software.',
  debian: "Debian is a Linux distribution that's composed entirely of free and open-source software.",
};

export function searchIndex(path: string): RegistryResponse {
  const params = new Map(
    (path.split('?')[1] ?? '').split('&').map((kv) => {
      const [k = '', v = ''] = kv.split('=');
      return [k, decodeURIComponent(v.replace(/\+/g, ' '))] as const;
    }),
  );
  const q = params.get('q') ?? '';
  const n = Number(params.get('n') ?? 25);
  const results = CATALOGUE.filter((image) => image.domain === 'docker.io')
    .map((image) => image.repository.replace(/^library\//, ''))
    .filter((name, i, all) => name.includes(q) && all.indexOf(name) === i)
    .slice(0, n)
    .map((name) => ({
      name,
      description: DESCRIPTIONS[name] ?? '',
      star_count: 0,
      is_official: true,
      is_automated: false,
    }));
  const body = JSON.stringify({ num_results: results.length, query: q, results });
  return {
    status: 200,
    statusText: 'OK',
    headers: { 'Content-Type': 'application/json' },
    body,
    bodySize: body.length,
  };
}
