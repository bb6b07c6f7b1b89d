import {
  createTelemetryEvent,
  type Attributes,
  type JourneyKey,
  type SpanKind,
  type TelemetryEvent,
} from '@slo-scout/schema';
import { SloError } from '../../errors.ts';
import {
  createSeededRandom,
  pickWeighted,
  randomHex,
  sampleLogNormal,
  type Random,
} from '../random.ts';
import {
  SHOP_ENTRIES,
  SHOP_FLOWS,
  SHOP_OPERATIONS,
  toOperationKey,
  type ShopOperation,
} from './catalog.ts';

/** A fault injected into one service for a time range. */
export interface ShopIncident {
  readonly startMs: number;
  readonly endMs: number;
  readonly service: string;
  /** Extra probability that a span of the service fails. */
  readonly errorRate?: number;
  /** Multiplier of the service's own latency. */
  readonly latencyFactor?: number;
  readonly label?: string;
}

/** Options of {@link createSyntheticShop}. */
export interface SyntheticShopOptions {
  readonly seed: number;
  readonly startMs: number;
  readonly durationMs: number;
  /** Number of RUM sessions; each drives one to five backend requests. */
  readonly sessions: number;
  /** gRPC requests from partners straight to inventory; default `sessions / 2`. */
  readonly partnerRequests?: number;
  /** Runs of the background reaper job; default `max(24, sessions / 10)`. */
  readonly reaperRuns?: number;
  /** Requests to each rare endpoint; default `sessions / 200`. */
  readonly rareRequests?: number;
  /** `gateway` puts a route-less edge gateway in front of the storefront. */
  readonly topology?: 'direct' | 'gateway';
  readonly incidents?: readonly ShopIncident[];
  /** Probability that a successful span also logs an INFO line; default 0.2. */
  readonly infoLogRate?: number;
}

/** A journey the generator drove, as discovery should find it. */
export interface GroundTruthJourney {
  readonly id: string;
  readonly key: JourneyKey;
  readonly critical: boolean;
  readonly userFacing: boolean;
  readonly requests: number;
}

/** What the generator knows: the journeys, the rare operations, the multi-step flows. */
export interface ShopGroundTruth {
  readonly journeys: readonly GroundTruthJourney[];
  /** Entries too rare to be a journey of their own (discovery should group them as `other`). */
  readonly rare: readonly GroundTruthJourney[];
  /** Multi-step flows of at least three steps, as RUM page routes. */
  readonly flows: readonly (readonly string[])[];
  readonly incidents: readonly ShopIncident[];
}

/** The generated telemetry and its ground truth. */
export interface SyntheticShop {
  readonly events: readonly TelemetryEvent[];
  readonly truth: ShopGroundTruth;
}

interface Ctx {
  readonly random: Random;
  readonly events: TelemetryEvent[];
  readonly incidents: readonly ShopIncident[];
  readonly infoLogRate: number;
  readonly traceId: string;
  readonly sessionId: string | null;
}

interface SpanOutcome {
  readonly endMs: number;
  readonly error: boolean;
  readonly status: number;
}

const GATEWAY = 'edge-gateway';
const RUM_SERVICE = 'web';

/**
 * Generates a realistic shop's telemetry: OpenTelemetry-shaped spans (routes, status codes,
 * durations), RUM sessions with web vitals, and logs, with incidents injected as asked.
 * Deterministic for a seed.
 */
export function createSyntheticShop(options: SyntheticShopOptions): SyntheticShop {
  validate(options);
  const random = createSeededRandom(options.seed);
  const events: TelemetryEvent[] = [];
  const counts = new Map<string, number>();
  const base = {
    random,
    events,
    incidents: options.incidents ?? [],
    infoLogRate: options.infoLogRate ?? 0.2,
  };
  const at = (): number => options.startMs + random.next() * options.durationMs;
  const request = (entryId: string, startMs: number, sessionId: string | null): void => {
    counts.set(entryId, (counts.get(entryId) ?? 0) + 1);
    const ctx: Ctx = { ...base, traceId: randomHex(random, 16), sessionId };
    const op = SHOP_ENTRIES.find((e) => e.id === entryId)!.op;
    const viaGateway =
      options.topology === 'gateway' && SHOP_OPERATIONS[op]!.service === 'storefront';
    if (viaGateway) runGateway(op, startMs, ctx);
    else runOperation(op, { parentSpanId: null, startMs }, ctx);
  };

  for (let s = 0; s < options.sessions; s++) runSession({ request, random, events }, at());
  const partners = options.partnerRequests ?? Math.round(options.sessions / 2);
  for (let i = 0; i < partners; i++) request('partner-stock', at(), null);
  const runs = options.reaperRuns ?? Math.max(24, Math.round(options.sessions / 10));
  for (let i = 0; i < runs; i++)
    request('reaper', options.startMs + ((i + 0.5) * options.durationMs) / runs, null);
  const rare = options.rareRequests ?? Math.round(options.sessions / 200);
  for (const id of ['admin', 'wishlist']) for (let i = 0; i < rare; i++) request(id, at(), null);

  events.sort((a, b) => a.event_time_ms - b.event_time_ms || cmp(a.event_id, b.event_id));
  return { events, truth: groundTruth(counts, options.incidents ?? []) };
}

function validate(o: SyntheticShopOptions): void {
  const bad = (what: string): never => {
    throw new SloError('INVALID_OPTIONS', `createSyntheticShop: ${what}`);
  };
  if (!Number.isInteger(o.seed)) bad('seed must be an integer');
  if (!Number.isFinite(o.startMs)) bad('startMs must be a number');
  if (!(o.durationMs > 0)) bad('durationMs must be positive');
  if (!Number.isInteger(o.sessions) || o.sessions < 0) bad('sessions must be a whole number');
  for (const i of o.incidents ?? [])
    if (!(i.endMs > i.startMs)) bad(`incident on ${i.service} must end after it starts`);
}

function groundTruth(
  counts: Map<string, number>,
  incidents: readonly ShopIncident[],
): ShopGroundTruth {
  const all = SHOP_ENTRIES.map((e) => ({
    id: e.id,
    key: toOperationKey(e.op),
    critical: e.critical,
    userFacing: e.userFacing,
    requests: counts.get(e.id) ?? 0,
    rare: e.rare,
  }));
  const strip = ({ rare: _rare, ...j }: (typeof all)[number]): GroundTruthJourney => j;
  const page = (id: string): string => SHOP_ENTRIES.find((e) => e.id === id)!.page!;
  return {
    journeys: all.filter((j) => !j.rare && j.requests > 0).map(strip),
    rare: all.filter((j) => j.rare && j.requests > 0).map(strip),
    flows: SHOP_FLOWS.filter((f) => f.steps.length >= 3).map((f) => f.steps.map(page)),
    incidents,
  };
}

interface SessionDeps {
  readonly request: (entryId: string, startMs: number, sessionId: string | null) => void;
  readonly random: Random;
  readonly events: TelemetryEvent[];
}

function runSession(deps: SessionDeps, startMs: number): void {
  const { random, events } = deps;
  const sessionId = randomHex(random, 8);
  const flow =
    SHOP_FLOWS[
      pickWeighted(
        random,
        SHOP_FLOWS.map((f) => f.weight),
      )
    ]!;
  const steps = [...flow.steps];
  if (random.next() < 0.3 && steps.includes('product'))
    steps.splice(steps.indexOf('product'), 0, 'product');
  if (random.next() < 0.1) steps.length = 1 + Math.floor(random.next() * steps.length);
  let t = startMs;
  steps.forEach((id, i) => {
    const entry = SHOP_ENTRIES.find((e) => e.id === id)!;
    const route = entry.page!;
    const rum = (
      type: 'page_view' | 'route_change' | 'web_vital',
      extra: Partial<Vital> = {},
    ): void => {
      events.push(
        createTelemetryEvent({
          event_id: randomHex(random, 12),
          kind: 'rum',
          service: RUM_SERVICE,
          event_time_ms: Math.round(t),
          resource_attributes: { 'service.name': RUM_SERVICE },
          rum: {
            session_id: sessionId,
            event_type: type,
            route,
            journey: null,
            step: null,
            vital_name: extra.name ?? null,
            vital_value: extra.value ?? null,
            vital_rating: extra.rating ?? null,
            user_agent: 'Mozilla/5.0 (synthetic)',
          },
        }),
      );
    };
    rum(i === 0 ? 'page_view' : 'route_change');
    deps.request(id, t, sessionId);
    for (const v of vitals(random)) rum('web_vital', v);
    t += sampleLogNormal(random, 15_000, 0.6);
  });
}

interface Vital {
  readonly name: string;
  readonly value: number;
  readonly rating: string;
}

function vitals(random: Random): Vital[] {
  const lcp = sampleLogNormal(random, 1_600, 0.45);
  const inp = sampleLogNormal(random, 110, 0.5);
  const cls = Math.round(sampleLogNormal(random, 0.04, 0.8) * 1000) / 1000;
  const rate = (v: number, good: number, poor: number): string =>
    v <= good ? 'good' : v <= poor ? 'needs-improvement' : 'poor';
  return [
    { name: 'LCP', value: Math.round(lcp), rating: rate(lcp, 2_500, 4_000) },
    { name: 'INP', value: Math.round(inp), rating: rate(inp, 200, 500) },
    { name: 'CLS', value: cls, rating: rate(cls, 0.1, 0.25) },
  ];
}

function runGateway(opId: string, startMs: number, ctx: Ctx): void {
  const op = SHOP_OPERATIONS[opId]!;
  const spanId = randomHex(ctx.random, 8);
  const clientId = randomHex(ctx.random, 8);
  const path = rawPath(op, ctx.random);
  const child = runOperation(opId, { parentSpanId: clientId, startMs: startMs + 1, path }, ctx);
  const end = child.endMs + 1;
  const attrs: Attributes = { 'http.request.method': op.method!, 'url.path': path };
  push(ctx, {
    service: GATEWAY,
    spanId: clientId,
    parent: spanId,
    name: op.method!,
    kind: 'CLIENT',
    start: startMs + 0.5,
    end: child.endMs + 0.5,
    error: child.error,
    attrs: { ...attrs, 'http.response.status_code': child.status },
  });
  push(ctx, {
    service: GATEWAY,
    spanId,
    parent: null,
    name: op.method!,
    kind: 'SERVER',
    start: startMs,
    end,
    error: child.error,
    attrs: { ...attrs, 'http.response.status_code': child.status, ...sessionAttr(ctx) },
  });
}

interface RunAt {
  readonly parentSpanId: string | null;
  readonly startMs: number;
  readonly path?: string;
}

function runOperation(opId: string, at: RunAt, ctx: Ctx): SpanOutcome {
  const op = SHOP_OPERATIONS[opId]!;
  const { random } = ctx;
  const spanId = randomHex(random, 8);
  const active = ctx.incidents.filter(
    (i) => i.service === op.service && at.startMs >= i.startMs && at.startMs < i.endMs,
  );
  const factor = active.reduce((f, i) => f * (i.latencyFactor ?? 1), 1);
  const extraError = active.reduce((e, i) => e + (i.errorRate ?? 0), 0);
  const own = sampleLogNormal(random, op.medianMs, op.sigma) * factor;
  let t = at.startMs + own * 0.3;
  let childError = false;
  for (const call of op.calls) {
    const callee = SHOP_OPERATIONS[call]!;
    const clientId = randomHex(random, 8);
    if (callee.protocol === 'messaging') {
      push(ctx, {
        service: op.service,
        spanId: clientId,
        parent: spanId,
        name: 'orders publish',
        kind: 'PRODUCER',
        start: t,
        end: t + 0.8,
        error: false,
        attrs: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
      });
      runOperation(
        call,
        { parentSpanId: clientId, startMs: t + sampleLogNormal(random, 40, 0.5) },
        ctx,
      );
      t += 1;
      continue;
    }
    const child = runOperation(call, { parentSpanId: clientId, startMs: t + 0.3 }, ctx);
    push(ctx, {
      service: op.service,
      spanId: clientId,
      parent: spanId,
      name: spanNameOf(callee),
      kind: 'CLIENT',
      start: t,
      end: child.endMs + 0.3,
      error: child.error,
      attrs: clientAttrs(callee, child.status),
    });
    childError ||= child.error;
    t = child.endMs + 0.6;
  }
  const endMs = t + own * 0.7;
  const error = childError || random.next() < op.errorRate + extraError;
  const notFound = !error && random.next() < (op.notFoundRate ?? 0);
  const status = error
    ? childError
      ? 502
      : 500
    : notFound
      ? 404
      : op.method === 'POST'
        ? 201
        : 200;
  const root = at.parentSpanId === null;
  push(ctx, {
    service: op.service,
    spanId,
    parent: at.parentSpanId,
    name: spanNameOf(op),
    kind: kindOf(op),
    start: at.startMs,
    end: endMs,
    error,
    attrs: {
      ...serverAttrs(op, { status, path: at.path ?? rawPath(op, random) }),
      ...(root ? sessionAttr(ctx) : {}),
    },
  });
  log(ctx, { service: op.service, time: endMs, error, op });
  return { endMs, error, status };
}

function sessionAttr(ctx: Ctx): Attributes {
  return ctx.sessionId === null ? {} : { 'session.id': ctx.sessionId };
}

function spanNameOf(op: ShopOperation): string {
  if (op.protocol === 'http') return `${op.method!} ${op.route!}`;
  if (op.protocol === 'rpc') return `${op.rpcService!}/${op.rpcMethod!}`;
  return op.spanName!;
}

function kindOf(op: ShopOperation): SpanKind {
  if (op.protocol === 'messaging') return 'CONSUMER';
  if (op.protocol === 'internal') return 'INTERNAL';
  return 'SERVER';
}

function serverAttrs(op: ShopOperation, r: { status: number; path: string }): Attributes {
  if (op.protocol === 'http')
    return {
      'http.request.method': op.method!,
      'http.route': op.route!,
      'url.path': r.path,
      'http.response.status_code': r.status,
    };
  if (op.protocol === 'rpc')
    return {
      'rpc.system': 'grpc',
      'rpc.service': op.rpcService!,
      'rpc.method': op.rpcMethod!,
      'rpc.grpc.status_code': r.status >= 500 ? 13 : 0,
    };
  if (op.protocol === 'messaging')
    return { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' };
  return {};
}

function clientAttrs(op: ShopOperation, status: number): Attributes {
  if (op.protocol === 'http')
    return {
      'http.request.method': op.method!,
      'http.response.status_code': status,
      'server.address': op.service,
    };
  return {
    'rpc.system': 'grpc',
    'rpc.service': op.rpcService ?? '',
    'rpc.method': op.rpcMethod ?? '',
    'server.address': op.service,
  };
}

function rawPath(op: ShopOperation, random: Random): string {
  return (op.route ?? '/').replace('{id}', String(1000 + Math.floor(random.next() * 9000)));
}

interface SpanInit {
  readonly service: string;
  readonly spanId: string;
  readonly parent: string | null;
  readonly name: string;
  readonly kind: SpanKind;
  readonly start: number;
  readonly end: number;
  readonly error: boolean;
  readonly attrs: Attributes;
}

function push(ctx: Ctx, s: SpanInit): void {
  ctx.events.push(
    createTelemetryEvent({
      event_id: `${ctx.traceId}-${s.spanId}`,
      kind: 'trace',
      service: s.service,
      event_time_ms: Math.round(s.start),
      observed_time_ms: Math.round(s.end),
      attributes: s.attrs,
      resource_attributes: { 'service.name': s.service },
      trace_id: ctx.traceId,
      span_id: s.spanId,
      parent_span_id: s.parent,
      span_name: s.name,
      span_kind: s.kind,
      status_code: s.error ? 'ERROR' : 'UNSET',
      duration_ms: Math.round((s.end - s.start) * 1000) / 1000,
    }),
  );
}

const MESSAGES = {
  error: 'request failed: upstream returned an error after <*> ms',
  info: 'request handled in <*> ms',
};

function log(
  ctx: Ctx,
  l: { service: string; time: number; error: boolean; op: ShopOperation },
): void {
  if (!l.error && ctx.random.next() >= ctx.infoLogRate) return;
  const ms = Math.round(l.time) % 1000;
  ctx.events.push(
    createTelemetryEvent({
      event_id: randomHex(ctx.random, 12),
      kind: 'log',
      service: l.service,
      event_time_ms: Math.round(l.time),
      severity_number: l.error ? 17 : 9,
      severity_text: l.error ? 'ERROR' : 'INFO',
      body: (l.error ? MESSAGES.error : MESSAGES.info).replace('<*>', String(ms)),
      attributes: { 'code.function': spanNameOf(l.op) },
      resource_attributes: { 'service.name': l.service },
      trace_id: ctx.traceId,
    }),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
