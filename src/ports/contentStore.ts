/**
 * Content store: blobs addressed by their sha256 digest, as containerd's content service keeps
 * them (https://github.com/containerd/containerd/blob/main/docs/content-flow.md).
 *
 * Lifecycle: a writer opens an *ingest* under a ref, data streams in, the writer *commits* with
 * the expected digest and size; only then does the blob become visible under
 * `blobs/sha256/<hex>`. A half-written blob is never visible. Blobs are removed by the garbage
 * collector once no image, lease or snapshot references them.
 *
 * Glossary: *ingest* — an in-progress write; *ref* — the name of an ingest
 * (`layer-sha256:…`); *label* — metadata such as `containerd.io/uncompressed=sha256:…` that
 * links a compressed layer to its diff id.
 */
export interface BlobInfo {
  digest: string;
  size: number;
  labels: Record<string, string>;
}

export interface ContentStore {
  has(digest: string): boolean;
  /** Commit a blob whose digest and size were verified while writing. */
  commit(digest: string, size: number, labels?: Record<string, string>): BlobInfo;
  info(digest: string): BlobInfo | undefined;
  remove(digest: string): boolean;
  list(): BlobInfo[];
  /** Where the blob lives on disk, for narration and the inspector. */
  pathOf(digest: string): string;
  /**
   * A small document's exact bytes (a manifest, an index, a config), as `Content.ReaderAt` reads
   * them for a push; undefined when the store has no such document.
   */
  read?(digest: string): string | undefined;
}
