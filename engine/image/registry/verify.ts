// Verification while streaming (what the distribution spec asks of a client, and the defence
// against CVE-2014-8179, a digest check that could be skipped): count the bytes and, unless a
// later stage hashes them anyway, hash them as they pass. More bytes than the descriptor says
// stop the stream at once; fewer at the end, or another digest, fail it at the end — a reader
// never sees a clean end of a blob that is not the one asked for.
import { Transform, type TransformCallback } from 'node:stream';
import { hashDigest, newHash, shortId } from '../digest.ts';
import { ImageError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { header, type HttpResponse } from './http.ts';

export type VerifyMode = 'digest' | 'size';

export class BlobVerifier extends Transform {
  bytes = 0;
  /** The digest computed, once the stream ended (digest mode). */
  digest: string | undefined;
  private readonly hash;

  constructor(
    private readonly desc: Descriptor,
    private readonly source: string,
    mode: VerifyMode,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.hash = mode === 'digest' ? newHash() : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.desc.size) {
      done(
        new ImageError(
          'size-mismatch',
          `blob ${this.desc.digest} from ${this.source} is larger than its descriptor's size ${this.desc.size}`,
        ),
      );
      return;
    }
    this.hash?.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes < this.desc.size) {
      done(this.truncated());
      return;
    }
    if (this.hash !== undefined) {
      this.digest = hashDigest(this.hash);
      if (this.digest !== this.desc.digest) {
        done(
          new ImageError(
            'digest-mismatch',
            `blob ${this.desc.digest} from ${this.source} has digest ${this.digest}: refused (sha256 mismatch)`,
          ),
        );
        return;
      }
    }
    done();
  }

  truncated(): ImageError {
    return new ImageError(
      'truncated',
      `blob ${shortId(this.desc.digest)} from ${this.source} is truncated: got ${this.bytes} of ${this.desc.size} bytes`,
    );
  }
}

/**
 * A blob response's body, checked: a content-length other than the descriptor's size is refused
 * at once; a transport error or an aborted body fails the stream as truncated. `what` names the
 * blob in the error.
 */
export function verifiedBody(
  res: HttpResponse,
  desc: Descriptor,
  source: string,
  mode: VerifyMode,
  what: string,
): BlobVerifier {
  const length = header(res, 'content-length');
  if (length !== undefined && Number(length) !== desc.size) {
    res.body.destroy();
    throw new ImageError(
      'size-mismatch',
      `${what} is ${length} bytes (content-length), its descriptor says ${desc.size}: refused`,
    );
  }
  const verifier = new BlobVerifier(desc, source, mode);
  res.body.on('error', (error) =>
    verifier.destroy(error instanceof ImageError ? error : verifier.truncated()),
  );
  // A body cut short without a transport error (no content-length) ends cleanly: flush catches it.
  res.body.on('aborted', () => verifier.destroy(verifier.truncated()));
  verifier.on('error', () => res.body.destroy());
  res.body.pipe(verifier);
  return verifier;
}
