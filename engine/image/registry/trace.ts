// What a registry exchange leaves behind for the trace: one small record per HTTP round trip,
// with the real URL, status, digest and size, so a diagram of a real pull can show
// `GET http://127.0.0.1:5000/v2/test/blobs/sha256:… → 200 (2.1 MB)` instead of a made-up arrow.
// The registry client emits records through `onRecord`; it never keeps them itself.
export interface RegistryRecord {
  method: string;
  /** The URL requested, query included, credentials never (tokens travel in headers). */
  url: string;
  status: number;
  /** The content digest: Docker-Content-Digest, or the one verified while reading. */
  digest?: string;
  /** Bytes in the response body as received (or sent, for an upload). */
  size?: number;
  mediaType?: string;
  /** What the round trip was for: ping, token, manifest, blob, upload, mount, push-manifest. */
  purpose: string;
  /** Milliseconds from the request to the end of its body. */
  ms: number;
  /** Set when this hop answered a redirect of an earlier one. */
  redirectedFrom?: string;
  error?: string;
}

export type RecordSink = (record: RegistryRecord) => void;

/** A sink that keeps records in an array (tests, the later trace bridge). */
export function recordInto(list: RegistryRecord[]): RecordSink {
  return (record) => {
    list.push(record);
  };
}
