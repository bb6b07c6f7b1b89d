import { CollectorError, err, ok, type Result } from '../../core/errors.ts';

/** The fetch function pullers use (injectable for proxies and tests). */
export type FetchLike = typeof fetch;

/** Fetches and parses JSON; network failures and non-2xx answers are `UPSTREAM_FAILED` values. */
export async function fetchJson(
  fetcher: FetchLike,
  url: string,
  init: RequestInit = {},
): Promise<Result<unknown>> {
  let res: Response;
  try {
    res = await fetcher(url, init);
  } catch (cause) {
    return err(new CollectorError('UPSTREAM_FAILED', `${url}: request failed`, { cause }));
  }
  const text = await res.text();
  if (!res.ok) {
    return err(
      new CollectorError('UPSTREAM_FAILED', `${url}: HTTP ${res.status}: ${text.slice(0, 200)}`),
    );
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (cause) {
    return err(new CollectorError('BAD_JSON', `${url}: response is not JSON`, { cause }));
  }
}
