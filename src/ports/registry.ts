import type { JsonObject } from '../model/json.ts';

/**
 * Registry transport: how a Registry participant answers the OCI distribution protocol.
 *
 * Lifecycle of a pull, as the distribution spec draws it
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md):
 *   1. `GET /v2/` probes the API; a 401 carries `WWW-Authenticate: Bearer realm=…,service=…`.
 *   2. the client fetches a token from the realm with `scope=repository:NAME:pull`.
 *   3. `HEAD|GET /v2/NAME/manifests/REF` resolves a tag to a digest and returns an image index
 *      (multi-platform) or a manifest; the client picks its platform from the index.
 *   4. `GET /v2/NAME/blobs/DIGEST` fetches the config and each layer; the client verifies size
 *      and sha256 while streaming.
 *
 * A push (spec "Pushing blobs", "Pushing manifests"), as docker's distribution client sends it:
 *   1. `HEAD /v2/NAME/blobs/DIGEST`: 200 means the registry has the blob already.
 *   2. `POST /v2/NAME/blobs/uploads/` opens an upload session: 202 and its `Location`.
 *   3. `PATCH <location>` streams the blob (202, the session's next `Location`), then
 *      `PUT <location>?digest=DIGEST` commits it (201); a `HEAD` of the blob confirms it.
 *   4. `PUT /v2/NAME/manifests/TAG` with the manifest's bytes: 201 and `Docker-Content-Digest`.
 *
 * In simulation the transport serves the built-in catalogue; in real mode it is an HTTP client
 * that performs the request for real, so the same Registry machine shows real answers.
 *
 * Glossary: *realm* — the token server's URL; *scope* — what the token grants; *index* — a list
 * of per-platform manifests; *descriptor* — {mediaType, digest, size} pointing at a blob.
 */
export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT';
  /** Host the request goes to (the registry, or the token realm's host). */
  host: string;
  path: string;
  headers: Record<string, string>;
  /** The descriptor's size when the client knows it (a blob): the body must be exactly this long. */
  size?: number;
  /** The blob is an image layer: the client shows its progress (docker's per-layer lines). */
  layer?: boolean;
  /**
   * The body is a blob of the content store, named by digest (a push's PATCH): the transport
   * streams it from there. Never the bytes themselves: a message stays small and serializable.
   * `id`: what the client's progress lines call a layer ("Pushing"), when they show it.
   */
  upload?: { digest: string; size: number; id?: string };
  /** A small document sent as the body (a manifest, exactly these bytes), with its media type. */
  body?: { text: string; mediaType: string };
  /**
   * The lines dockerd has written on its client's progress stream since its last request
   * (moby pkg/progress): a real transport hands them on as the request goes out, so the client
   * sees them as they happen; in simulation the operation's reply carries them all.
   */
  stream?: JsonObject[];
}

export interface RegistryResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** JSON bodies as text (digests are over the exact bytes); blobs are summarised by size. */
  body?: string;
  bodySize: number;
  /**
   * The registry took the request and never answered (a fault, in simulation). A real
   * transport never returns this: its client's deadline ends the wait instead.
   */
  noAnswer?: boolean;
  /**
   * The exchange failed below HTTP (connection refused, a body whose digest is not the one
   * asked for): the client's error text, as dockerd would print it. Status is 0 then.
   */
  error?: string;
}

export interface RegistryTransport {
  roundTrip(request: RegistryRequest): RegistryResponse;
}
