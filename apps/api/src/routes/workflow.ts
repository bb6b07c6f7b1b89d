/** The review workflow: analyze, recommend, decide, search, generate, validate, diff, publish. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf, requireScope } from '../auth.ts';
import { toErrorBody } from '../errors.ts';
import { sendResult } from '../reply.ts';
import {
  Answers,
  docs,
  ApproveBody,
  GenerateBody,
  IdParams,
  PullRequestBody,
  RangeBody,
  RecommendationsQuery,
  RecommendBody,
  RejectBody,
  SearchBody,
} from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const security = [{ bearer: [] }];
const errors = {
  400: Answers.Error,
  401: Answers.Error,
  403: Answers.Error,
  404: Answers.Error,
  409: Answers.Error,
  422: Answers.Error,
  501: Answers.Error,
};

async function badRange(reply: FastifyReply): Promise<FastifyReply> {
  return reply
    .code(400)
    .send(toErrorBody('INVALID_INPUT', 'fromMs must be before toMs', 'body.fromMs'));
}

/** Registers the workflow routes. */
export function registerWorkflowRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = requireScope('read');
  const write = requireScope('write');
  const { scout } = deps;

  r.post(
    '/api/v1/analyze',
    {
      preValidation: write,
      schema: {
        tags: ['journeys'],
        summary: 'Discover journeys and write their SLIs from the spans in a range',
        security,
        body: RangeBody,
        response: docs({ 200: Answers.Analyze, ...errors }),
      },
    },
    async (request, reply) => {
      const { fromMs, toMs } = request.body;
      if (fromMs >= toMs) return badRange(reply);
      // The engine audits the analysis itself (subject `analysis`), in the store.
      const result = await scout.analyze({ range: { fromMs, toMs }, actor: actorOf(request) });
      return sendResult(reply, result);
    },
  );

  r.post(
    '/api/v1/recommendations',
    {
      preValidation: write,
      schema: {
        tags: ['recommendations'],
        summary: 'Fit, backtest and save SLO targets for the journeys\u2019 SLIs',
        security,
        body: RecommendBody,
        response: docs({ 200: Answers.Recommendations, ...errors }),
      },
    },
    async (request, reply) => {
      const { fromMs, toMs, journeyIds } = request.body;
      if (fromMs >= toMs) return badRange(reply);
      const result = await scout.recommend({
        range: { fromMs, toMs },
        actor: actorOf(request),
        ...(journeyIds === undefined ? {} : { journeyIds }),
      });
      return sendResult(reply, result);
    },
  );

  r.get(
    '/api/v1/recommendations',
    {
      preValidation: read,
      schema: {
        tags: ['recommendations'],
        summary: 'Recommendations, newest first',
        security,
        querystring: RecommendationsQuery,
        response: docs({ 200: Answers.Recommendations, ...errors }),
      },
    },
    async (request) => {
      const { service, status } = request.query;
      return scout.listRecommendations({
        ...(service === undefined ? {} : { service }),
        ...(status === undefined ? {} : { status }),
      });
    },
  );

  r.get(
    '/api/v1/recommendations/:id',
    {
      preValidation: read,
      schema: {
        tags: ['recommendations'],
        summary: 'One recommendation',
        security,
        params: IdParams,
        response: docs({ 200: Answers.Recommendation, ...errors }),
      },
    },
    async (request, reply) =>
      sendResult(reply, await scout.getRecommendation(request.params.id), { location: 'params' }),
  );

  r.post(
    '/api/v1/recommendations/:id/approve',
    {
      preValidation: write,
      schema: {
        tags: ['recommendations'],
        summary: 'Approve a proposed recommendation',
        security,
        params: IdParams,
        body: ApproveBody,
        response: docs({ 200: Answers.Recommendation, ...errors }),
      },
    },
    async (request, reply) => {
      const reason = request.body.reason;
      const result = await scout.decide(request.params.id, {
        status: 'approved',
        actor: actorOf(request),
        ...(reason === undefined ? {} : { reason }),
      });
      return sendResult(reply, result);
    },
  );

  r.post(
    '/api/v1/recommendations/:id/reject',
    {
      preValidation: write,
      schema: {
        tags: ['recommendations'],
        summary: 'Reject a proposed recommendation, with a reason',
        security,
        params: IdParams,
        body: RejectBody,
        response: docs({ 200: Answers.Recommendation, ...errors }),
      },
    },
    async (request, reply) => {
      const result = await scout.decide(request.params.id, {
        status: 'rejected',
        actor: actorOf(request),
        reason: request.body.reason,
      });
      return sendResult(reply, result);
    },
  );

  r.post(
    '/api/v1/capsules/search',
    {
      preValidation: read,
      schema: {
        tags: ['capsules'],
        summary: 'Search redacted capsules by text and filters',
        security,
        body: SearchBody,
        response: docs({ 200: Answers.Evidence, ...errors }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.fromMs !== undefined && b.toMs !== undefined && b.fromMs >= b.toMs)
        return badRange(reply);
      return sendResult(reply, await scout.searchCapsules(b));
    },
  );

  r.post(
    '/api/v1/artifacts',
    {
      preValidation: write,
      schema: {
        tags: ['artifacts'],
        summary: 'Generate, validate and save rules, tests, dashboards and runbooks',
        security,
        body: GenerateBody,
        response: docs({ 200: Answers.Artifact, ...errors }),
      },
    },
    async (request, reply) => {
      const ids = request.body.recommendationIds;
      const result = await scout.generate({
        actor: actorOf(request),
        ...(ids === undefined ? {} : { recommendationIds: ids }),
      });
      return sendResult(reply, result);
    },
  );

  r.get(
    '/api/v1/artifacts/:id',
    {
      preValidation: read,
      schema: {
        tags: ['artifacts'],
        summary: 'A generated artifact set',
        security,
        params: IdParams,
        response: docs({ 200: Answers.Artifact, ...errors }),
      },
    },
    async (request, reply) =>
      sendResult(reply, await scout.getArtifact(request.params.id), { location: 'params' }),
  );

  r.post(
    '/api/v1/artifacts/:id/validate',
    {
      preValidation: read,
      schema: {
        tags: ['artifacts'],
        summary: 'Re-run validation of a stored artifact set',
        security,
        params: IdParams,
        response: docs({ 200: Answers.ValidationReport, ...errors }),
      },
    },
    async (request, reply) =>
      sendResult(reply, await scout.validate(request.params.id), { location: 'params' }),
  );

  r.get(
    '/api/v1/artifacts/:id/diff',
    {
      preValidation: read,
      schema: {
        tags: ['artifacts'],
        summary: 'Unified diff per file against the base branch',
        security,
        params: IdParams,
        response: docs({ 200: Answers.Diff, ...errors }),
      },
    },
    async (request, reply) =>
      sendResult(reply, await scout.diff(request.params.id), { location: 'params' }),
  );

  r.post(
    '/api/v1/pull-requests',
    {
      preValidation: write,
      schema: {
        tags: ['artifacts'],
        summary: 'Open or update the pull request of a validated artifact set',
        security,
        body: PullRequestBody,
        response: docs({ 200: Answers.PullRequest, ...errors }),
      },
    },
    async (request, reply) =>
      sendResult(
        reply,
        await scout.openPullRequest({
          artifactId: request.body.artifactId,
          actor: actorOf(request),
        }),
      ),
  );
}
