import { expect } from 'vitest';
import type { ContentStore } from '../../src/ports/contentStore.ts';
import { defineContract, sha256, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The content store's contract (src/ports/contentStore.ts), checked against containerd's
 * content store (https://github.com/containerd/containerd/blob/main/docs/content-flow.md,
 * plugins/content/local/store.go): blobs addressed by `sha256:<64 lowercase hex>`, visible once
 * committed, listed, inspected and removed by digest, stored under `blobs/sha256/<hex>`.
 *
 * The factory must give an empty store of its own (a temporary root in real mode).
 */
export function describeContentStoreContract(
  name: string,
  factory: Factory<ContentStore>,
  options?: ContractOptions<ContentStore>,
): void {
  defineContract('ContentStore', name, factory, options, (cases) => {
    cases.group('commit and lookup', () => commitCases(cases));
    cases.group('remove', () => removeCases(cases));
    cases.group('addressing', () => addressingCases(cases));
  });
}

const A = sha256('blob A: {"schemaVersion":2}');
const B = sha256('blob B: layer bytes');
const C = sha256('blob C: config');
const EMPTY = sha256('');

const digests = (store: ContentStore): string[] => store.list().map((b) => b.digest);

function commitCases(cases: ContractCases<ContentStore>): void {
  cases.it('a new store holds no blob', (store) => {
    expect(store.list()).toEqual([]);
    expect(store.has(A)).toBe(false);
    expect(store.info(A)).toBeUndefined();
  });

  cases.it('a committed blob is visible with its digest, size and labels', (store) => {
    const labels = {
      'containerd.io/uncompressed': B,
      'containerd.io/distribution.source.docker.io': 'library/busybox',
    };
    const info = store.commit(A, 1234, labels);
    expect(info).toEqual({ digest: A, size: 1234, labels });
    expect(store.has(A)).toBe(true);
    expect(store.info(A)).toEqual({ digest: A, size: 1234, labels });
    expect(store.list()).toEqual([{ digest: A, size: 1234, labels }]);
  });

  cases.it('a blob committed without labels has empty labels', (store) => {
    store.commit(A, 10);
    expect(store.info(A)?.labels).toEqual({});
  });

  cases.it('labels are stored as a copy of the caller’s object', (store) => {
    const labels: Record<string, string> = { 'containerd.io/gc.ref.content.l.0': B };
    store.commit(A, 10, labels);
    labels['containerd.io/gc.ref.content.l.0'] = C;
    labels.extra = 'added later';
    expect(store.info(A)?.labels).toEqual({ 'containerd.io/gc.ref.content.l.0': B });
  });

  cases.it('the empty blob (size 0) can be committed', (store) => {
    // buildkit's empty layer and empty JSON objects are real, zero- or few-byte blobs.
    expect(store.commit(EMPTY, 0)).toEqual({ digest: EMPTY, size: 0, labels: {} });
    expect(store.has(EMPTY)).toBe(true);
    expect(store.info(EMPTY)?.size).toBe(0);
  });

  cases.it('committing a digest that is already there keeps one blob', (store) => {
    store.commit(A, 42);
    store.commit(A, 42);
    expect(digests(store)).toEqual([A]);
    expect(store.info(A)?.size).toBe(42);
  });

  cases.it('blobs are independent: each has its own size and labels', (store) => {
    store.commit(A, 1, { kind: 'index' });
    store.commit(B, 2, { kind: 'layer' });
    store.commit(C, 3);
    expect(new Set(digests(store))).toEqual(new Set([A, B, C]));
    expect(store.info(A)).toEqual({ digest: A, size: 1, labels: { kind: 'index' } });
    expect(store.info(B)).toEqual({ digest: B, size: 2, labels: { kind: 'layer' } });
    expect(store.info(C)).toEqual({ digest: C, size: 3, labels: {} });
    for (const blob of store.list()) expect(store.info(blob.digest)).toEqual(blob);
  });
}

function removeCases(cases: ContractCases<ContentStore>): void {
  cases.it('remove deletes a committed blob and says so', (store) => {
    store.commit(A, 5);
    expect(store.remove(A)).toBe(true);
    expect(store.has(A)).toBe(false);
    expect(store.info(A)).toBeUndefined();
    expect(digests(store)).toEqual([]);
  });

  cases.it('remove of a blob that is not there returns false', (store) => {
    expect(store.remove(A)).toBe(false);
    store.commit(A, 5);
    store.remove(A);
    expect(store.remove(A)).toBe(false);
  });

  cases.it('remove leaves the other blobs in place', (store) => {
    store.commit(A, 1);
    store.commit(B, 2);
    store.remove(A);
    expect(digests(store)).toEqual([B]);
    expect(store.info(B)).toEqual({ digest: B, size: 2, labels: {} });
  });

  cases.it('a removed blob can be committed again', (store) => {
    store.commit(A, 7, { old: 'yes' });
    store.remove(A);
    expect(store.commit(A, 7)).toEqual({ digest: A, size: 7, labels: {} });
    expect(store.info(A)).toEqual({ digest: A, size: 7, labels: {} });
  });
}

function addressingCases(cases: ContractCases<ContentStore>): void {
  cases.it('pathOf is <root>/blobs/sha256/<hex> under an absolute root', (store) => {
    const pathA = store.pathOf(A);
    const pathB = store.pathOf(B);
    expect(pathA.startsWith('/')).toBe(true);
    expect(pathA.endsWith(`/blobs/sha256/${A.slice('sha256:'.length)}`)).toBe(true);
    expect(pathB.endsWith(`/blobs/sha256/${B.slice('sha256:'.length)}`)).toBe(true);
    // Same root for every blob: only the last path element differs.
    expect(pathA.slice(0, pathA.lastIndexOf('/'))).toBe(pathB.slice(0, pathB.lastIndexOf('/')));
  });

  cases.it('commit refuses a digest that is not sha256:<64 lowercase hex>', (store) => {
    // containerd's local store validates every digest before it touches a path
    // (blobPath: "cannot calculate blob path from invalid digest", ErrInvalidArgument).
    const hex = A.slice('sha256:'.length);
    const malformed = [
      hex,
      `sha256:${hex.slice(0, 63)}`,
      `sha256:${hex.toUpperCase()}`,
      `sha256:${'z'.repeat(64)}`,
      'sha256:',
      '',
    ];
    for (const digest of malformed) {
      expect(() => store.commit(digest, 1), JSON.stringify(digest)).toThrow();
      expect(store.has(digest), JSON.stringify(digest)).toBe(false);
    }
    expect(store.list()).toEqual([]);
  });
}
