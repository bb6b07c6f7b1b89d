/**
 * TypeBox schemas of every request and answer: Fastify validates requests with them and
 * `@fastify/swagger` builds the OpenAPI document from the same objects. Answer schemas document
 * the engine's view types; they do not filter what is sent (see `server.ts`).
 */
import { Type, type Static, type TSchema } from 'typebox';

/**
 * Answer schemas, typed opaquely so the type provider does not hold handlers to them: they
 * document the engine's readonly view types, which the handlers pass through unchanged.
 */
export function docs(response: Readonly<Record<number, TSchema>>): Record<number, unknown> {
  return response;
}

const Epoch = (description: string) => Type.Integer({ minimum: 0, description });
const Id = Type.String({ minLength: 1, maxLength: 200 });
const Open = (description: string) => Type.Object({}, { additionalProperties: true, description });

/** `{ error: { code, message, field? } }`. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'e.g. INVALID_INPUT, UNAUTHORIZED, NOT_FOUND, NO_DATA' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'The offending input, e.g. `body.fromMs`' })),
    }),
  },
  { description: 'An error' },
);

/** A path parameter `id`. */
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
/** `IdParams` as a TypeScript type. */
export type IdParams = Static<typeof IdParams>;

/** `POST /analyze`: a closed-open range. */
export const RangeBody = Type.Object(
  {
    fromMs: Epoch('Start of the range, epoch milliseconds (inclusive)'),
    toMs: Epoch('End of the range, epoch milliseconds (exclusive)'),
  },
  { additionalProperties: false },
);
/** `RangeBody` as a TypeScript type. */
export type RangeBody = Static<typeof RangeBody>;

/** `POST /recommendations`. */
export const RecommendBody = Type.Object(
  {
    fromMs: Epoch('Start of the history the targets are fitted on'),
    toMs: Epoch('End of that history (exclusive)'),
    journeyIds: Type.Optional(
      Type.Array(Id, { maxItems: 200, description: 'Default: the top journeys' }),
    ),
  },
  { additionalProperties: false },
);
/** `RecommendBody` as a TypeScript type. */
export type RecommendBody = Static<typeof RecommendBody>;

/** `POST /recommendations/:id/approve`. */
export const ApproveBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
/** `ApproveBody` as a TypeScript type. */
export type ApproveBody = Static<typeof ApproveBody>;

/** `POST /recommendations/:id/reject`: a reason is required. */
export const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
/** `RejectBody` as a TypeScript type. */
export type RejectBody = Static<typeof RejectBody>;

/** `POST /capsules/search`. */
export const SearchBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    fromMs: Type.Optional(Epoch('Windows from')),
    toMs: Type.Optional(Epoch('Windows until (exclusive)')),
    minSeverity: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 24, description: 'OpenTelemetry severity number' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
/** `SearchBody` as a TypeScript type. */
export type SearchBody = Static<typeof SearchBody>;

/** `POST /artifacts`. */
export const GenerateBody = Type.Object(
  {
    recommendationIds: Type.Optional(
      Type.Array(Id, { minItems: 1, maxItems: 200, description: 'Default: every approved one' }),
    ),
  },
  { additionalProperties: false },
);
/** `GenerateBody` as a TypeScript type. */
export type GenerateBody = Static<typeof GenerateBody>;

/** `POST /pull-requests`. */
export const PullRequestBody = Type.Object({ artifactId: Id }, { additionalProperties: false });
/** `PullRequestBody` as a TypeScript type. */
export type PullRequestBody = Static<typeof PullRequestBody>;

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);

/** `POST /keys`. */
export const CreateKeyBody = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
      description: 'Unique among live keys',
    }),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
/** `CreateKeyBody` as a TypeScript type. */
export type CreateKeyBody = Static<typeof CreateKeyBody>;

/** `GET /journeys?service=`. */
export const ServiceQuery = Type.Object(
  { service: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
/** `ServiceQuery` as a TypeScript type. */
export type ServiceQuery = Static<typeof ServiceQuery>;

const Status = Type.Union([
  Type.Literal('proposed'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('superseded'),
]);

/** `GET /recommendations?service=&status=`. */
export const RecommendationsQuery = Type.Object(
  {
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);
/** `RecommendationsQuery` as a TypeScript type. */
export type RecommendationsQuery = Static<typeof RecommendationsQuery>;

/** `GET /slis/:id/history?fromMs=&toMs=`; default: the 7 days before now. */
export const HistoryQuery = Type.Object(
  {
    fromMs: Type.Optional(Epoch('Default: toMs - 7 days')),
    toMs: Type.Optional(Epoch('Default: now')),
  },
  { additionalProperties: false },
);
/** `HistoryQuery` as a TypeScript type. */
export type HistoryQuery = Static<typeof HistoryQuery>;

/** `GET /audit?limit=&afterId=`: oldest first, paged by `afterId`. */
export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default 100' })),
    afterId: Type.Optional(Type.Integer({ minimum: 0, description: 'Entries after this id' })),
  },
  { additionalProperties: false },
);
/** `AuditQuery` as a TypeScript type. */
export type AuditQuery = Static<typeof AuditQuery>;

// Answers (documentation of the engine's view types).

const Journey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    key: Open('What identifies the journey (route, RPC, flow)'),
    entryService: Type.String(),
    trafficShare: Type.Number({ minimum: 0, maximum: 1 }),
    userFacing: Type.Boolean(),
    critical: Type.Boolean(),
    score: Type.Number(),
    evidence: Open('Trace counts, error counts, example trace ids, services'),
  },
  { additionalProperties: true, description: 'A user journey' },
);

const Sli = Type.Object(
  {
    id: Type.String(),
    journeyId: Type.String(),
    kind: Type.String({ description: 'availability | latency | rum | errors' }),
    name: Type.String(),
    description: Type.String(),
    ratio: Open('PromQL good/bad/total expressions'),
    thresholdSeconds: Type.Optional(Type.Number()),
    metric: Type.String(),
  },
  { additionalProperties: true, description: 'A service level indicator' },
);

const Alert = Open('A backtest alert: severity, start and end');

const Recommendation = Type.Object(
  {
    id: Type.String(),
    sliId: Type.String(),
    journeyId: Type.String(),
    sliName: Type.String(),
    service: Type.String(),
    target: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    window: Type.String({ description: 'Compliance window, e.g. 28d' }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    rationale: Type.String(),
    evidence: Open('Fingerprints, raw-sample references and facts'),
    status: Status,
    createdAtMs: Type.Integer(),
    decidedAtMs: Type.Union([Type.Integer(), Type.Null()]),
    decidedBy: Type.Union([Type.String(), Type.Null()]),
    spec: Open('The SLO spec (apiVersion slo-scout/v1)'),
    backtest: Type.Object(
      {
        budgetConsumed: Type.Number(),
        pages: Type.Integer(),
        tickets: Type.Integer(),
        alerts: Type.Array(Alert),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true, description: 'A recommendation with its SLO spec and backtest' },
);

const Evidence = Type.Object(
  {
    fingerprint: Type.String(),
    service: Type.String(),
    template: Type.String(),
    similarity: Type.Number(),
    score: Type.Number(),
    windowCount: Type.Integer(),
    eventCount: Type.Integer(),
    maxSeverity: Type.Integer(),
  },
  { additionalProperties: true, description: 'A redacted capsule behind a journey or a search' },
);

const ValidationReport = Type.Object(
  {
    ok: Type.Boolean(),
    steps: Type.Array(
      Type.Object(
        { name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) },
        { additionalProperties: true },
      ),
    ),
    policy: Open('The policy decision with its reasons'),
  },
  { additionalProperties: true, description: 'promtool, schema and scan steps, then policy' },
);

const Artifact = Type.Object(
  {
    id: Type.String(),
    recommendationId: Type.Union([Type.String(), Type.Null()]),
    recommendationIds: Type.Array(Type.String()),
    kind: Type.String(),
    files: Type.Array(
      Type.Object({ path: Type.String(), content: Type.String() }, { additionalProperties: true }),
    ),
    validation: Open('Validation as stored'),
    policyDecision: Type.Union([
      Type.Literal('allow'),
      Type.Literal('deny'),
      Type.Literal('review'),
    ]),
    createdAtMs: Type.Integer(),
    report: ValidationReport,
  },
  { additionalProperties: true, description: 'A generated artifact set' },
);

const KeyRecord = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(Scope),
    createdAtMs: Type.Integer(),
    revokedAtMs: Type.Union([Type.Integer(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** Answer schemas by name. */
export const Answers = {
  Health: Type.Object({ status: Type.Literal('ok') }),
  Status: Type.Object(
    {
      services: Type.Integer(),
      windows: Type.Integer({ description: 'Capsule windows; an estimate when windowsEstimated' }),
      windowsEstimated: Type.Boolean(),
      spans: Type.Integer({ description: 'Journey spans stored' }),
      lastWindowMs: Type.Union([Type.Integer(), Type.Null()]),
    },
    { additionalProperties: true, description: 'Where ingestion stands' },
  ),
  Services: Type.Array(
    Type.Object(
      {
        name: Type.String(),
        displayName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        owner: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        tier: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      },
      { additionalProperties: true },
    ),
  ),
  Analyze: Type.Object(
    {
      range: Type.Object({ fromMs: Type.Integer(), toMs: Type.Integer() }),
      spans: Type.Integer(),
      journeys: Type.Array(Journey),
      slis: Type.Array(Sli),
    },
    { additionalProperties: true, description: 'What analyze found and saved' },
  ),
  Journeys: Type.Array(Journey),
  JourneyDetail: Type.Object(
    {
      journey: Journey,
      slis: Type.Array(Sli),
      recommendations: Type.Array(Recommendation),
      evidence: Type.Array(Evidence),
    },
    { additionalProperties: true },
  ),
  SliHistory: Type.Object(
    {
      sliId: Type.String(),
      stepMs: Type.Integer(),
      points: Type.Array(Open('A step: start, good and total')),
      target: Type.Optional(Type.Number()),
      alerts: Type.Array(Alert),
    },
    { additionalProperties: true },
  ),
  Recommendation,
  Recommendations: Type.Array(Recommendation),
  Evidence: Type.Array(Evidence),
  Artifact,
  ValidationReport,
  Diff: Type.Object(
    {
      files: Type.Array(
        Type.Object(
          {
            path: Type.String(),
            status: Type.Union([
              Type.Literal('added'),
              Type.Literal('modified'),
              Type.Literal('unchanged'),
            ]),
            patch: Type.String({ description: 'Unified diff against the base branch' }),
          },
          { additionalProperties: true },
        ),
      ),
    },
    { additionalProperties: true },
  ),
  PullRequest: Type.Object(
    {
      url: Type.String(),
      branch: Type.String(),
      commit: Type.Optional(Type.String()),
      updated: Type.Boolean(),
    },
    { additionalProperties: true },
  ),
  Audit: Type.Array(
    Type.Object(
      {
        id: Type.Integer(),
        actor: Type.String(),
        action: Type.String(),
        subjectType: Type.String(),
        subjectId: Type.String(),
        atMs: Type.Integer(),
        details: Open('What changed'),
      },
      { additionalProperties: false },
    ),
  ),
  CreatedKey: Type.Object(
    {
      id: Type.String(),
      name: Type.String(),
      scopes: Type.Array(Scope),
      key: Type.String({ description: 'The secret; shown only in this answer' }),
      createdAtMs: Type.Integer(),
    },
    { additionalProperties: false },
  ),
  Keys: Type.Array(KeyRecord),
  Empty: Type.Null({ description: 'No content' }),
  Error: ErrorSchema,
} as const;
