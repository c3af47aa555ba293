import type { BlobInfo, ContentStore } from '../ports/contentStore.ts';
import { CATALOGUE, findDocument } from './catalogue/index.ts';

/** containerd's content store in memory: blobs are committed whole or not at all. */
export class SimContentStore implements ContentStore {
  private blobs = new Map<string, BlobInfo>();

  constructor(readonly root = '/var/lib/containerd/io.containerd.content.v1.content') {}

  has(digest: string): boolean {
    return this.blobs.has(digest);
  }

  commit(digest: string, size: number, labels: Record<string, string> = {}): BlobInfo {
    // containerd validates the digest before anything else (opencontainers/go-digest).
    if (!/^sha256:[0-9a-f]{64}$/.test(digest))
      throw new Error(`invalid digest "${digest}": expected sha256: and 64 lowercase hex digits`);
    const info = { digest, size, labels: { ...labels } };
    this.blobs.set(digest, info);
    return info;
  }

  info(digest: string): BlobInfo | undefined {
    return this.blobs.get(digest);
  }

  remove(digest: string): boolean {
    return this.blobs.delete(digest);
  }

  list(): BlobInfo[] {
    return [...this.blobs.values()];
  }

  pathOf(digest: string): string {
    return `${this.root}/blobs/sha256/${digest.replace(/^sha256:/, '')}`;
  }

  /** The catalogue's documents: a pulled image's index, manifests and config, byte for byte. */
  read(digest: string): string | undefined {
    for (const image of CATALOGUE) {
      const doc = findDocument(image, digest);
      if (doc) return doc.raw;
    }
    return undefined;
  }
}
