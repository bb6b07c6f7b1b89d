/** Sends an engine or store `Result` as an HTTP answer. */
import type { FastifyReply } from 'fastify';
import { toHttpError, type CodedError } from './errors.ts';

type AnyResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CodedError };

/** Sends the value with `status`, or the mapped error (a 500 is logged, never explained). */
export async function sendResult<T>(
  reply: FastifyReply,
  result: AnyResult<T>,
  options: { readonly status?: number; readonly location?: string } = {},
): Promise<FastifyReply> {
  if (result.ok) return reply.code(options.status ?? 200).send(result.value);
  const http = toHttpError(result.error, options.location);
  if (http.status >= 500) reply.log.error({ err: result.error }, 'engine error');
  return reply.code(http.status).send(http.body);
}
