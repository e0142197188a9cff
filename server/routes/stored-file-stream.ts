import { Readable } from 'node:stream';

/**
 * A file store's body as something fastify streams: both adapters hand out Node streams already
 * (fs.ReadStream, the S3 SDK's IncomingMessage); any other async iterable is wrapped.
 */
export function streamOf(body: AsyncIterable<Uint8Array>): Readable {
  return body instanceof Readable ? body : Readable.from(body);
}
