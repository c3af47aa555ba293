// POST /images/create?fromImage=…&tag=…&platform=…: `docker pull`. The answer is Docker's JSON
// message stream; an error before the first message is an HTTP error (404 manifest unknown, 500
// connection refused, 400 invalid reference), after it a final `{"errorDetail","error"}` line
// in a 200 stream — as dockerd does (image_routes.go postImagesCreate, `output.Flushed()`).
// With `fromSrc` and no `fromImage` it is `docker import`, served by the machines (gateway.ts): the
// dockerd machine's import (src/layers/dockerd/ops/imageImport.ts) reads the tar from the body or
// the URL (engine/real/imageImport.ts); `changes` may be repeated.
import { formatReference, repositoryOf } from '../../image/reference.ts';
import { registryAuth } from '../auth.ts';
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import { throughMachines } from '../gateway.ts';
import { MessageStream } from '../http.ts';
import { reference } from '../names.ts';

/** fromImage and tag as dockerd joins them: a tag that is a digest pins it, an empty one means latest. */
export function pullReference(fromImage: string, tag: string): string {
  const ref = reference(fromImage);
  if (tag !== '') {
    const pinned = /^[a-z0-9]+:[a-f0-9]{32,}$/.test(tag);
    const base = reference(fromImage.replace(/(:[^/:@]*)?(@.*)?$/, ''));
    const joined = `${repositoryOf(base)}${pinned ? '@' : ':'}${tag}`;
    return formatReference(reference(joined));
  }
  return formatReference(ref);
}

const importTar = throughMachines({
  op: 'api.images.create',
  // Not live: the unpack's own lines (Extracting, Pull complete) are a pull's, not an import's.
  answer: 'messages',
  body: true,
  extra: (call) => ({ changes: call.query.getAll('changes') }),
});

async function create(call: Call): Promise<void> {
  const fromImage = call.query.get('fromImage') ?? '';
  if (fromImage === '') {
    if ((call.query.get('fromSrc') ?? '') !== '') return importTar(call);
    throw badRequest('fromImage is required');
  }
  const name = pullReference(fromImage, call.query.get('tag') ?? '');
  const stream = new MessageStream(call.res);
  const abort = new AbortController();
  const onClose = (): void => abort.abort();
  call.res.on('close', onClose);
  call.engine.closing.addEventListener('abort', onClose, { once: true });
  try {
    await call.engine.puller.pull(name, {
      platform: call.query.get('platform') ?? undefined,
      auth: registryAuth(call.req),
      onMessage: (m) => stream.write(m),
      signal: abort.signal,
    });
    // The `pull` event is the dockerd machine's, from the trace (events.ts).
    stream.end();
  } catch (error) {
    stream.end(error);
  } finally {
    call.res.off('close', onClose);
    call.engine.closing.removeEventListener('abort', onClose);
  }
}

export const routes: Route[] = [{ method: 'POST', path: '/images/create', handler: create }];
