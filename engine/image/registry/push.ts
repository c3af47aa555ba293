// Push, as the distribution spec lays it out (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#push):
//   HEAD /v2/NAME/blobs/DIGEST                      200 → already there, skip
//   POST /v2/NAME/blobs/uploads/?mount=D&from=REPO  201 → mounted from another repository
//   POST /v2/NAME/blobs/uploads/                    202 + Location → an upload session
//   PATCH <location> (Content-Range a-b)            202 + Location → one chunk (chunked mode)
//   PUT <location>?digest=D                         201 → the blob is committed (the body is the
//                                                   whole blob in monolithic mode, empty after chunks)
//   PUT /v2/NAME/manifests/TAG                      201 + Docker-Content-Digest
// Blobs before the manifest that names them; the registry checks the digest of what it got.
import { createReadStream } from 'node:fs';
import { shortId } from '../digest.ts';
import { ImageError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { repositoryScope } from '../../../src/model/registryAuth.ts';
import { pullScope, type RegistryClient } from './client.ts';
import { header, readBody, type HttpResponse } from './http.ts';

export function pushScope(repository: string): string {
  return repositoryScope(repository, ['pull', 'push']);
}

export interface BlobSource {
  desc: Descriptor;
  /** The blob's file (a content store path): read once, or once per chunk. */
  path: string;
}

export interface UploadOptions {
  /** Bytes per PATCH; 0 or absent = one monolithic PUT. */
  chunkSize?: number;
  /** Try a cross-repository mount from this repository on the same registry first. */
  mountFrom?: string;
}

export type UploadResult = 'exists' | 'mounted' | 'uploaded';

async function drain(
  client: RegistryClient,
  res: HttpResponse,
  purpose: string,
  started: number,
  size?: number,
): Promise<Buffer> {
  const body = await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
  client.record(res, purpose, started, { size: size ?? body.length });
  return body;
}

export async function hasBlob(client: RegistryClient, repository: string, digest: string): Promise<boolean> {
  const { res, started } = await client.roundTrip({
    method: 'HEAD',
    target: `/v2/${repository}/blobs/${digest}`,
    scopes: [pushScope(repository)],
    purpose: 'blob-exists',
  });
  const body = await drain(client, res, 'blob-exists', started);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw client.fail(res, body, `blob ${digest} in ${client.host}/${repository}`, repository);
}

function location(client: RegistryClient, res: HttpResponse, repository: string): string {
  const value = header(res, 'location');
  if (value === undefined)
    throw new ImageError(
      'server',
      `registry ${client.host} started an upload to ${repository} without a location`,
    );
  return new URL(value, client.base).href;
}

function withDigest(url: string, digest: string): string {
  const u = new URL(url);
  u.searchParams.set('digest', digest);
  return u.href;
}

async function startUpload(
  client: RegistryClient,
  repository: string,
  desc: Descriptor,
  mountFrom: string | undefined,
): Promise<string | 'mounted'> {
  const query =
    mountFrom === undefined
      ? ''
      : `?mount=${encodeURIComponent(desc.digest)}&from=${encodeURIComponent(mountFrom)}`;
  const scopes =
    mountFrom === undefined ? [pushScope(repository)] : [pushScope(repository), pullScope(mountFrom)];
  const purpose = mountFrom === undefined ? 'upload-start' : 'mount';
  const { res, started } = await client.roundTrip({
    method: 'POST',
    target: `/v2/${repository}/blobs/uploads/${query}`,
    headers: { 'content-length': '0' },
    body: Buffer.alloc(0),
    scopes,
    purpose,
  });
  const body = await drain(client, res, purpose, started);
  if (res.status === 201 && mountFrom !== undefined) return 'mounted';
  if (res.status !== 202)
    throw client.fail(res, body, `upload of ${desc.digest} to ${client.host}/${repository}`, repository);
  return location(client, res, repository);
}

async function finishUpload(
  client: RegistryClient,
  repository: string,
  url: string,
  src: BlobSource,
  monolithic: boolean,
): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'content-length': String(monolithic ? src.desc.size : 0),
  };
  const body = monolithic ? createReadStream(src.path, { highWaterMark: 1 << 20 }) : Buffer.alloc(0);
  const { res, started } = await client.roundTrip({
    method: 'PUT',
    target: withDigest(url, src.desc.digest),
    headers,
    body,
    scopes: [pushScope(repository)],
    purpose: 'upload',
  });
  const answer = await drain(client, res, 'upload', started, monolithic ? src.desc.size : 0);
  if (res.status !== 201)
    throw client.fail(
      res,
      answer,
      `upload of ${src.desc.digest} to ${client.host}/${repository}`,
      repository,
    );
  const stored = header(res, 'docker-content-digest');
  if (stored !== undefined && stored !== src.desc.digest)
    throw new ImageError(
      'digest-mismatch',
      `registry ${client.host} stored ${shortId(src.desc.digest)} as ${stored}`,
    );
}

async function patchChunks(
  client: RegistryClient,
  repository: string,
  url: string,
  src: BlobSource,
  chunkSize: number,
): Promise<string> {
  let current = url;
  for (let start = 0; start < src.desc.size; start += chunkSize) {
    const end = Math.min(src.desc.size, start + chunkSize) - 1;
    const headers = {
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      'content-range': `${start}-${end}`,
    };
    const body = createReadStream(src.path, { start, end, highWaterMark: 1 << 20 });
    const { res, started } = await client.roundTrip({
      method: 'PATCH',
      target: current,
      headers,
      body,
      scopes: [pushScope(repository)],
      purpose: 'upload-chunk',
    });
    const answer = await drain(client, res, 'upload-chunk', started, end - start + 1);
    if (res.status !== 202)
      throw client.fail(
        res,
        answer,
        `chunk ${start}-${end} of ${src.desc.digest} to ${client.host}/${repository}`,
        repository,
      );
    current = location(client, res, repository);
  }
  return current;
}

/** Makes sure the registry has a blob: skip, mount or upload (monolithic or chunked). */
export async function uploadBlob(
  client: RegistryClient,
  repository: string,
  src: BlobSource,
  options: UploadOptions = {},
): Promise<UploadResult> {
  if (await hasBlob(client, repository, src.desc.digest)) return 'exists';
  const started = await startUpload(client, repository, src.desc, options.mountFrom);
  if (started === 'mounted') return 'mounted';
  const chunkSize = options.chunkSize ?? 0;
  if (chunkSize > 0) {
    const last = await patchChunks(client, repository, started, src, chunkSize);
    await finishUpload(client, repository, last, src, false);
  } else {
    await finishUpload(client, repository, started, src, true);
  }
  return 'uploaded';
}

/** PUT the manifest (or index) bytes under a tag or digest; returns the digest the registry names. */
export async function putManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  const headers = { 'content-type': mediaType, 'content-length': String(bytes.length) };
  const { res, started } = await client.roundTrip({
    method: 'PUT',
    target: `/v2/${repository}/manifests/${reference}`,
    headers,
    body: bytes,
    scopes: [pushScope(repository)],
    purpose: 'push-manifest',
  });
  const answer = await drain(client, res, 'push-manifest', started, bytes.length);
  if (res.status !== 201 && res.status !== 200)
    throw client.fail(res, answer, `manifest ${reference} for ${client.host}/${repository}`, repository);
  const digest = header(res, 'docker-content-digest');
  if (digest === undefined)
    throw new ImageError(
      'server',
      `registry ${client.host} accepted manifest ${reference} without a docker-content-digest`,
    );
  return digest;
}
