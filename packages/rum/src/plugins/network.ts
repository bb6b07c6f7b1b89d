import type { RumPlugin, RumPluginContext } from '../client.ts';
import { clip } from '../core/beacon.ts';
import type { FetchLike, ResponseLike, XhrLike } from '../env.ts';

/** Options of {@link failedRequests}. */
export interface FailedRequestsOptions {
  /** Which statuses count as failed (0 is a network error). Default: 0 and 400 and above. */
  readonly isFailure?: (status: number) => boolean;
  /** Keep query strings in reported URLs (they may hold personal data). Default false. */
  readonly keepQuery?: boolean;
}

type Input = string | { readonly url?: unknown; readonly method?: unknown; toString(): string };
type Init = { readonly method?: unknown } | undefined;

/**
 * Failed `fetch` and `XMLHttpRequest` calls: a `resource_error` with URL (query cut by default),
 * method, status (0 for network errors) and duration in ms. Requests to the beacon endpoint and
 * aborted XHRs are not reported.
 */
export function failedRequests(options: FailedRequestsOptions = {}): RumPlugin {
  const failed = options.isFailure ?? ((s: number) => s === 0 || s >= 400);
  return {
    name: 'failed-requests',
    setup(ctx) {
      const { env, endpoint } = ctx;
      const clean = (raw: string): string => {
        let u = raw;
        try {
          u = new URL(raw, env.window.location.href).href;
        } catch {
          // Not a URL the platform can parse: report it as given.
        }
        return clip(options.keepQuery ? u : (u.split(/[?#]/)[0] ?? u), 1000);
      };
      const report: Report = ({ url, method, status, start, message }) => {
        if (url.startsWith(endpoint)) return;
        ctx.record({
          t: 'resource_error',
          url: clean(url),
          method: method.toUpperCase(),
          status,
          duration: Math.max(0, env.monotonic() - start),
          ...(message === undefined ? {} : { message: clip(message, 1000) }),
        });
      };
      const undoFetch = wrapFetch(ctx, failed, report);
      const undoXhr = wrapXhr(ctx, failed, report);
      return () => {
        undoFetch();
        undoXhr();
      };
    },
  };
}

interface Failure {
  readonly url: string;
  readonly method: string;
  readonly status: number;
  readonly start: number;
  readonly message?: string;
}
type Report = (failure: Failure) => void;

function wrapFetch(
  { env }: RumPluginContext,
  failed: (status: number) => boolean,
  report: Report,
): () => void {
  const win = env.window;
  const original = win.fetch as ((input: Input, init?: Init) => Promise<ResponseLike>) | undefined;
  if (!original) return () => undefined;
  const wrapped = function (this: unknown, input: Input, init?: Init) {
    const start = env.monotonic();
    const url =
      typeof input === 'string' ? input : typeof input.url === 'string' ? input.url : String(input);
    const m = init?.method ?? (typeof input === 'string' ? undefined : input.method);
    const method = typeof m === 'string' ? m : 'GET';
    return original.call(this === undefined ? win : this, input, init).then(
      (res) => {
        // Opaque (no-cors) responses have status 0 but succeeded.
        if (res.type !== 'opaque' && failed(res.status)) {
          report({ url, method, status: res.status, start });
        }
        return res;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        report({ url, method, status: 0, start, message });
        throw error;
      },
    );
  } as unknown as FetchLike;
  win.fetch = wrapped;
  return () => {
    if (win.fetch === wrapped) win.fetch = original;
  };
}

function wrapXhr(
  { env }: RumPluginContext,
  failed: (status: number) => boolean,
  report: Report,
): () => void {
  const proto = env.window.XMLHttpRequest?.prototype;
  if (!proto) return () => undefined;
  const open = proto.open;
  const send = proto.send;
  const meta = new WeakMap<XhrLike, { method: string; url: string }>();
  const wrappedOpen: typeof open = function (this: XhrLike, ...args) {
    meta.set(this, { method: args[0], url: String(args[1]) });
    open.apply(this, args);
  };
  const wrappedSend: typeof send = function (this: XhrLike, body) {
    const m = meta.get(this);
    if (m) {
      const start = env.monotonic();
      let aborted = false;
      this.addEventListener('abort', () => {
        aborted = true;
      });
      this.addEventListener('loadend', () => {
        if (!aborted && failed(this.status)) report({ ...m, status: this.status, start });
      });
    }
    send.call(this, body);
  };
  proto.open = wrappedOpen;
  proto.send = wrappedSend;
  return () => {
    if (proto.open === wrappedOpen) proto.open = open;
    if (proto.send === wrappedSend) proto.send = send;
  };
}
