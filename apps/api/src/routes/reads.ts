/** Read routes: status, services, journeys, SLI history. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireScope } from '../auth.ts';
import { sendResult } from '../reply.ts';
import { Answers, docs, HistoryQuery, IdParams, ServiceQuery } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const WEEK_MS = 7 * 24 * 3_600_000;

/** Registers the read routes. */
export function registerReadRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = requireScope('read');
  const security = [{ bearer: [] }];
  const errors = { 400: Answers.Error, 401: Answers.Error, 403: Answers.Error, 404: Answers.Error };

  r.get(
    '/api/v1/status',
    {
      preValidation: read,
      schema: {
        tags: ['ingest'],
        summary: 'Where ingestion stands',
        security,
        response: docs({ 200: Answers.Status, ...errors }),
      },
    },
    async () => deps.scout.status(),
  );

  r.get(
    '/api/v1/services',
    {
      preValidation: read,
      schema: {
        tags: ['ingest'],
        summary: 'Services the store has seen',
        security,
        response: docs({ 200: Answers.Services, ...errors }),
      },
    },
    async () => deps.store.listServices(),
  );

  r.get(
    '/api/v1/journeys',
    {
      preValidation: read,
      schema: {
        tags: ['journeys'],
        summary: 'Discovered journeys, optionally of one entry service',
        security,
        querystring: ServiceQuery,
        response: docs({ 200: Answers.Journeys, ...errors }),
      },
    },
    async (request) => deps.scout.listJourneys(request.query.service),
  );

  r.get(
    '/api/v1/journeys/:id',
    {
      preValidation: read,
      schema: {
        tags: ['journeys'],
        summary: 'A journey with its SLIs, recommendations and evidence',
        security,
        params: IdParams,
        response: docs({ 200: Answers.JourneyDetail, ...errors }),
      },
    },
    async (request, reply) =>
      sendResult(reply, await deps.scout.getJourney(request.params.id), { location: 'params' }),
  );

  r.get(
    '/api/v1/slis/:id/history',
    {
      preValidation: read,
      schema: {
        tags: ['journeys'],
        summary: "An SLI's good/total series with its target and backtest alerts",
        security,
        params: IdParams,
        querystring: HistoryQuery,
        response: docs({ 200: Answers.SliHistory, ...errors }),
      },
    },
    async (request, reply) => {
      const toMs = request.query.toMs ?? deps.now();
      const fromMs = request.query.fromMs ?? Math.max(0, toMs - WEEK_MS);
      if (fromMs >= toMs) {
        return reply.code(400).send({
          error: {
            code: 'INVALID_INPUT',
            message: 'fromMs must be before toMs',
            field: 'query.fromMs',
          },
        });
      }
      return sendResult(reply, await deps.scout.sliHistory(request.params.id, { fromMs, toMs }), {
        location: 'query',
      });
    },
  );
}
