import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { CollectorError, err, ok, type Result } from '../../core/errors.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** Reads a request body, refusing more than `maxBytes` (413) without buffering the excess. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer>> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > maxBytes) {
      req.resume();
      resolve(
        err(
          new CollectorError('PAYLOAD_TOO_LARGE', `body of ${declared} bytes exceeds ${maxBytes}`),
        ),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        chunks.length = 0;
        req.resume();
        resolve(err(new CollectorError('PAYLOAD_TOO_LARGE', `body exceeds ${maxBytes} bytes`)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(ok(Buffer.concat(chunks, size)));
      done = true;
    });
    req.on('error', (cause) => {
      if (!done) resolve(err(new CollectorError('BAD_SHAPE', 'request body aborted', { cause })));
      done = true;
    });
  });
}

/** Undoes `Content-Encoding` gzip/deflate, capping the decoded size at `maxBytes`. */
export async function decodeContentEncoding(
  body: Buffer,
  encoding: string | undefined,
  maxBytes: number,
): Promise<Result<Uint8Array>> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return ok(body);
  if (enc !== 'gzip' && enc !== 'deflate') {
    return err(
      new CollectorError('UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Encoding '${enc}'`),
    );
  }
  try {
    const out = await (enc === 'gzip' ? gunzipAsync : inflateAsync)(body, {
      maxOutputLength: maxBytes,
    });
    return ok(out);
  } catch (cause) {
    const tooLarge = (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    return err(
      new CollectorError(
        tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_SHAPE',
        tooLarge ? `decoded body exceeds ${maxBytes} bytes` : `body is not valid ${enc}`,
        { cause },
      ),
    );
  }
}
