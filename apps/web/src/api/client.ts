/**
 * A typed client of the SLO-Scout REST API (`/api/v1`). Every request carries the user's key as
 * `Authorization: Bearer`; every answer is a {@link Result} whose error keeps the API's message and
 * the field it named.
 */
import { WebError, codeForStatus, toWebError, type Result } from '../errors.ts';
import type {
  ArtifactDiff,
  ArtifactView,
  IngestStatus,
  Journey,
  JourneyDetail,
  PublishedPullRequest,
  RecommendationStatus,
  RecommendationView,
  ServiceRecord,
  SliHistory,
  ValidationReport,
} from './types.ts';

/** The subset of `fetch` the client needs. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** The API key, sent as a bearer token. */
  readonly key: string;
  /** Origin (and mount) of the API; default `''`, the page's own origin. */
  readonly baseUrl?: string;
  readonly fetch?: FetchLike;
}

/** Calls of the REST API the console uses. */
export interface ApiClient {
  status(): Promise<Result<IngestStatus>>;
  services(): Promise<Result<ServiceRecord[]>>;
  journeys(service?: string): Promise<Result<Journey[]>>;
  journey(id: string): Promise<Result<JourneyDetail>>;
  /** Without a range, the API's default: the week up to its clock. */
  sliHistory(sliId: string, range?: { fromMs: number; toMs: number }): Promise<Result<SliHistory>>;
  recommendations(q?: {
    service?: string;
    status?: RecommendationStatus;
  }): Promise<Result<RecommendationView[]>>;
  recommend(input: {
    fromMs: number;
    toMs: number;
    journeyIds?: readonly string[];
  }): Promise<Result<RecommendationView[]>>;
  approve(id: string, reason?: string): Promise<Result<RecommendationView>>;
  reject(id: string, reason: string): Promise<Result<RecommendationView>>;
  generate(recommendationIds?: readonly string[]): Promise<Result<ArtifactView>>;
  artifact(id: string): Promise<Result<ArtifactView>>;
  validate(id: string): Promise<Result<ValidationReport>>;
  diff(id: string): Promise<Result<ArtifactDiff>>;
  openPullRequest(artifactId: string): Promise<Result<PublishedPullRequest>>;
}

/** Builds a query string from the defined values, `''` when there are none. */
export function toQuery(params: Readonly<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an error answer: the contract's `{ error: { code, message, field } }`, or Fastify's
 * `{ statusCode, error, message }`, or plain text.
 */
export function parseErrorBody(status: number, text: string): WebError {
  const code = codeForStatus(status);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const msg = text.trim() === '' ? `HTTP ${status}` : text.trim().slice(0, 500);
    return new WebError(code, msg, { status });
  }
  if (isObj(body) && isObj(body['error'])) {
    const e = body['error'];
    const message = typeof e['message'] === 'string' ? e['message'] : `HTTP ${status}`;
    return new WebError(code, message, {
      status,
      ...(typeof e['code'] === 'string' ? { apiCode: e['code'] } : {}),
      ...(typeof e['field'] === 'string' ? { field: e['field'] } : {}),
    });
  }
  if (isObj(body) && typeof body['message'] === 'string') {
    return new WebError(code, body['message'], {
      status,
      ...(typeof body['code'] === 'string' ? { apiCode: body['code'] } : {}),
    });
  }
  return new WebError(code, `HTTP ${status}`, { status });
}

/** Creates the client; throws when the key is empty (the console asks for one first). */
export function createApiClient(options: ApiClientOptions): ApiClient {
  if (options.key.trim() === '') throw new WebError('UNAUTHORIZED', 'An API key is required');
  const base = `${(options.baseUrl ?? '').replace(/\/+$/, '')}/api/v1`;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const headers = { authorization: `Bearer ${options.key.trim()}`, accept: 'application/json' };

  async function call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      return { ok: false, error: toWebError(e) };
    }
    const text = await res.text();
    if (!res.ok) return { ok: false, error: parseErrorBody(res.status, text) };
    try {
      return { ok: true, value: JSON.parse(text) as T };
    } catch (e) {
      return {
        ok: false,
        error: new WebError('BAD_RESPONSE', `The API answered with something other than JSON`, {
          status: res.status,
          cause: e,
        }),
      };
    }
  }

  const id = encodeURIComponent;
  return {
    status: () => call('GET', '/status'),
    services: () => call('GET', '/services'),
    journeys: (service) => call('GET', `/journeys${toQuery({ service })}`),
    journey: (jid) => call('GET', `/journeys/${id(jid)}`),
    sliHistory: (sliId, r) => call('GET', `/slis/${id(sliId)}/history${toQuery(r ?? {})}`),
    recommendations: (q = {}) => call('GET', `/recommendations${toQuery(q)}`),
    recommend: (input) => call('POST', '/recommendations', input),
    approve: (rid, reason) =>
      call('POST', `/recommendations/${id(rid)}/approve`, reason === undefined ? {} : { reason }),
    reject: (rid, reason) => call('POST', `/recommendations/${id(rid)}/reject`, { reason }),
    generate: (recommendationIds) =>
      call('POST', '/artifacts', recommendationIds === undefined ? {} : { recommendationIds }),
    artifact: (aid) => call('GET', `/artifacts/${id(aid)}`),
    validate: (aid) => call('POST', `/artifacts/${id(aid)}/validate`, {}),
    diff: (aid) => call('GET', `/artifacts/${id(aid)}/diff`),
    openPullRequest: (artifactId) => call('POST', '/pull-requests', { artifactId }),
  };
}
