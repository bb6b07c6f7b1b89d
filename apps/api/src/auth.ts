/** Bearer authentication: a global hook that identifies the key, and per-route scope checks. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyRecord, ApiKeyScope, Store } from '@slo-scout/store';
import { toErrorBody } from './errors.ts';
import { hashApiKey, hasScope, isApiKeyFormat } from './keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The live API key of the request, once the bearer token matched one. */
    apiKey: ApiKeyRecord | null;
    /** Whether the request carried an `Authorization` header at all. */
    presentedKey: boolean;
  }
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/** Adds the hook that looks the bearer token up (it never rejects; routes do). */
export function addKeyLookup(app: FastifyInstance, store: Store): void {
  app.decorateRequest('apiKey', null);
  app.decorateRequest('presentedKey', false);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    request.presentedKey = true;
    const token = BEARER.exec(header)?.[1];
    // A token of the wrong shape cannot match: no database round trip for it.
    if (token === undefined || !isApiKeyFormat(token)) return;
    const found = await store.findApiKeyByHash(hashApiKey(token));
    if (found !== undefined && found.revokedAtMs === null) request.apiKey = found;
  });
}

/** The audit actor of a request: `key:<name>`. */
export function actorOf(request: FastifyRequest): string {
  return `key:${request.apiKey?.name ?? 'anonymous'}`;
}

/** A `preValidation` hook that answers 401 without a live key and 403 without the scope. */
export function requireScope(scope: ApiKeyScope) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = request.apiKey;
    if (key === null) {
      // One message for missing, malformed, unknown and revoked keys: nothing to learn from it.
      await reply
        .code(401)
        .header(
          'www-authenticate',
          request.presentedKey
            ? 'Bearer realm="slo-scout", error="invalid_token"'
            : 'Bearer realm="slo-scout"',
        )
        .send(
          toErrorBody('UNAUTHORIZED', 'a valid API key is required: Authorization: Bearer <key>'),
        );
      return;
    }
    if (!hasScope(key.scopes, scope)) {
      await reply.code(403).send(toErrorBody('FORBIDDEN', `this key lacks the "${scope}" scope`));
    }
  };
}
