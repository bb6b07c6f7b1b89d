/** `createApiServer`: the Fastify application over a `Scout` and a `Store` (not listening). */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Scout } from '@slo-scout/engine';
import type { Store } from '@slo-scout/store';
import { addKeyLookup } from './auth.ts';
import { ApiError, toErrorBody, type ApiErrorCode } from './errors.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerReadRoutes } from './routes/reads.ts';
import { registerWorkflowRoutes } from './routes/workflow.ts';
import { Answers } from './schemas.ts';
import { toValidationField } from './validation.ts';

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  readonly scout: Scout;
  readonly store: Store;
  /** `true`/options for Fastify's pino logger, or a logger instance. Default: off. */
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Requests per key (or per IP without a valid key) per window. Default 600 per minute. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number };
  /** Directory of the built web console, served at `/` with an SPA fallback to `index.html`. */
  readonly webRoot?: string;
  /** Clock for defaults such as the SLI history range. Default `Date.now`. */
  readonly now?: () => number;
}

/** The API's version, shown in the OpenAPI document. */
export const API_VERSION = '0.1.0';

const STATUS: Readonly<Record<ApiErrorCode, number>> = {
  INVALID_OPTIONS: 500,
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

const NOT_WEB = /^\/(api|docs|openapi\.json|healthz)(\/|$|\?)/;

function checkOptions(o: ApiServerOptions): void {
  const fail = (field: string, message: string): never => {
    throw new ApiError('INVALID_OPTIONS', `${field} ${message}`, { field });
  };
  if (typeof o.scout !== 'object' || typeof o.scout.status !== 'function')
    fail('scout', 'must be a Scout (createScout from @slo-scout/engine)');
  if (typeof o.store !== 'object' || typeof o.store.findApiKeyByHash !== 'function')
    fail('store', 'must be a Store (createStore from @slo-scout/store)');
  if (o.rateLimit !== undefined) {
    if (!Number.isSafeInteger(o.rateLimit.max) || o.rateLimit.max < 1)
      fail('rateLimit.max', 'must be a positive integer');
    if (!Number.isSafeInteger(o.rateLimit.timeWindowMs) || o.rateLimit.timeWindowMs < 1)
      fail('rateLimit.timeWindowMs', 'must be a positive integer');
  }
  if (o.webRoot !== undefined && (typeof o.webRoot !== 'string' || o.webRoot.length === 0))
    fail('webRoot', 'must be a directory path');
  if (o.now !== undefined && typeof o.now !== 'function') fail('now', 'must be a function');
}

function loggerOptions(logger: ApiServerOptions['logger']): FastifyServerOptions {
  if (logger === undefined) return { logger: false };
  if (
    typeof logger === 'object' &&
    typeof (logger as FastifyBaseLogger).info === 'function' &&
    typeof (logger as FastifyBaseLogger).child === 'function'
  )
    return { loggerInstance: logger as FastifyBaseLogger };
  return { logger };
}

/**
 * Builds the API server: routes of the REST contract under `/api/v1`, `/healthz`,
 * `/openapi.json`, `/docs`, and the web console at `/` when `webRoot` is given. Call
 * `listen()` on the result, or `inject()` in tests. Throws `ApiError` on invalid options.
 *
 * @example
 * const app = createApiServer({ scout, store });
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 */
export function createApiServer(options: ApiServerOptions): FastifyInstance {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const app = Fastify({
    ...loggerOptions(options.logger),
    // The audit and the answer bodies are JSON of the engine's views: nothing is stripped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });

  // Answer schemas document the engine's types; they must not drop fields from its views.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // An empty JSON body (a POST without input) is no body, not a parse error.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) {
      done(null, undefined);
      return;
    }
    void jsonParser(request, typeof body === 'string' ? body : body.toString('utf8'), done);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      const field = toValidationField(error.validation, error.validationContext);
      return reply
        .code(400)
        .send(toErrorBody('INVALID_INPUT', `${field.field} ${field.message}`, field.field));
    }
    if (error instanceof ApiError) {
      const status = STATUS[error.code];
      if (status >= 500) {
        request.log.error({ err: error }, 'api error');
        return reply.code(500).send(toErrorBody('INTERNAL', 'internal error; see the server log'));
      }
      return reply.code(status).send(toErrorBody(error.code, error.message, error.field));
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'INVALID_INPUT';
      return reply
        .code(status)
        .send(toErrorBody(code, error.message, status === 400 ? 'body' : undefined));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(toErrorBody('INTERNAL', 'internal error; see the server log'));
  });

  addKeyLookup(app, options.store);

  const limits = options.rateLimit ?? { max: 600, timeWindowMs: 60_000 };
  // Plugins load in order at ready(): rate limit and swagger see every route registered after them.
  void app.register(rateLimit, {
    global: true,
    max: limits.max,
    timeWindow: limits.timeWindowMs,
    keyGenerator: (request) =>
      request.apiKey === null ? `ip:${request.ip}` : `key:${request.apiKey.id}`,
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new ApiError(
          'RATE_LIMITED',
          `rate limit of ${context.max} requests per window reached; retry in ${context.after}`,
        ),
        { statusCode: 429 },
      ),
  });

  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SLO-Scout API',
        version: API_VERSION,
        description:
          'Journeys, SLIs, SLO recommendations with evidence, and validated artifacts delivered as pull requests.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key: sk_...' },
        },
      },
      tags: [
        { name: 'ingest', description: 'What has been ingested' },
        { name: 'journeys', description: 'Journeys and SLIs' },
        { name: 'recommendations', description: 'SLO recommendations and their review' },
        { name: 'capsules', description: 'Redacted log capsules' },
        { name: 'artifacts', description: 'Rules, dashboards, runbooks, pull requests' },
        { name: 'admin', description: 'Audit log and API keys' },
      ],
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });

  void app.register((scope, _opts, done) => {
    scope.get(
      '/healthz',
      {
        config: { rateLimit: false },
        schema: { tags: ['ingest'], summary: 'Liveness', response: { 200: Answers.Health } },
      },
      () => Promise.resolve({ status: 'ok' as const }),
    );
    scope.get('/openapi.json', { schema: { hide: true } }, () => Promise.resolve(app.swagger()));
    const deps = { scout: options.scout, store: options.store, now };
    registerReadRoutes(scope, deps);
    registerWorkflowRoutes(scope, deps);
    registerAdminRoutes(scope, deps);
    done();
  });

  if (options.webRoot !== undefined) {
    void app.register(fastifyStatic, { root: options.webRoot, prefix: '/', wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const web = options.webRoot !== undefined;
    if (
      web &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !NOT_WEB.test(request.url)
    )
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply
      .code(404)
      .send(
        toErrorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
      );
  });
  return app;
}
