/** Admin routes: the audit log and API key management. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf, requireScope } from '../auth.ts';
import { toErrorBody } from '../errors.ts';
import { createApiKey } from '../keys.ts';
import { sendResult } from '../reply.ts';
import { Answers, docs, AuditQuery, CreateKeyBody, IdParams } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const security = [{ bearer: [] }];
const errors = {
  400: Answers.Error,
  401: Answers.Error,
  403: Answers.Error,
  404: Answers.Error,
  409: Answers.Error,
};

/** Registers the admin routes. */
export function registerAdminRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const admin = requireScope('admin');
  const { store } = deps;

  r.get(
    '/api/v1/audit',
    {
      preValidation: admin,
      schema: {
        tags: ['admin'],
        summary: 'Audit entries, oldest first, paged by afterId',
        security,
        querystring: AuditQuery,
        response: docs({ 200: Answers.Audit, ...errors }),
      },
    },
    async (request, reply) => {
      const { limit, afterId } = request.query;
      const result = await store.queryAudit({
        ...(limit === undefined ? {} : { limit }),
        ...(afterId === undefined ? {} : { afterId }),
      });
      return sendResult(reply, result, { location: 'query' });
    },
  );

  r.post(
    '/api/v1/keys',
    {
      preValidation: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the secret is in this answer only',
        security,
        body: CreateKeyBody,
        response: docs({ 201: Answers.CreatedKey, ...errors }),
      },
    },
    async (request, reply) => {
      const made = await createApiKey(store, {
        name: request.body.name,
        scopes: request.body.scopes,
        actor: actorOf(request),
      });
      if (!made.ok) {
        const status = made.error.code === 'CONFLICT' ? 409 : 400;
        const field = made.error.field === undefined ? undefined : `body.${made.error.field}`;
        return reply.code(status).send(toErrorBody(made.error.code, made.error.message, field));
      }
      const { id, name, scopes, key, createdAtMs } = made.value;
      return reply.code(201).send({ id, name, scopes, key, createdAtMs });
    },
  );

  r.get(
    '/api/v1/keys',
    {
      preValidation: admin,
      schema: {
        tags: ['admin'],
        summary: 'API keys, live and revoked (never their secrets)',
        security,
        response: docs({ 200: Answers.Keys, ...errors }),
      },
    },
    async () => store.listApiKeys(),
  );

  r.delete(
    '/api/v1/keys/:id',
    {
      preValidation: admin,
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key',
        security,
        params: IdParams,
        response: docs({ 204: Answers.Empty, ...errors }),
      },
    },
    async (request, reply) => {
      const result = await store.revokeApiKey(request.params.id, actorOf(request));
      if (!result.ok) return sendResult(reply, result, { location: 'params' });
      return reply.code(204).send();
    },
  );
}
