/**
 * The few browser objects the SDK touches, as small interfaces: tests pass plain objects, browsers
 * pass `window`, `document` and `navigator` (see {@link browserEnvironment}).
 */

/** `addEventListener` options the SDK uses. */
export interface ListenerOptions {
  readonly capture?: boolean;
  readonly passive?: boolean;
}

/** An event listener; method syntax keeps its parameter bivariant, like the DOM's own typings. */
export type ListenerLike = { bivariant(event: unknown): void }['bivariant'];

/** An event target (window, document). */
export interface EventTargetLike {
  addEventListener(type: string, listener: ListenerLike, options?: ListenerOptions): void;
  removeEventListener(type: string, listener: ListenerLike, options?: ListenerOptions): void;
}

/** The part of `Storage` the SDK uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of a fetch `Response` the SDK reads. */
export interface ResponseLike {
  readonly status: number;
  readonly type?: string;
}

/** A `fetch` function. */
export type FetchLike = (input: never, init?: never) => Promise<ResponseLike>;

/** The request init the SDK's own transport passes to `fetch`. */
export interface BeaconFetchInit {
  readonly method: 'POST';
  readonly body: string;
  readonly keepalive: true;
  readonly credentials: 'omit';
  readonly headers: Readonly<Record<string, string>>;
}

/** The part of `History` the SDK wraps. */
export interface HistoryLike {
  pushState: (data: unknown, unused: string, url?: string | URL | null) => void;
  replaceState: (data: unknown, unused: string, url?: string | URL | null) => void;
}

/** An `XMLHttpRequest` instance as the SDK sees it. */
export interface XhrLike {
  open: (this: XhrLike, ...args: [method: string, url: string | URL, ...rest: unknown[]]) => void;
  send: (this: XhrLike, body?: unknown) => void;
  readonly status: number;
  addEventListener(type: string, listener: () => void): void;
}

/** The part of `location` the SDK reads. */
export interface LocationLike {
  readonly pathname: string;
  readonly href: string;
  readonly hash?: string;
  readonly search?: string;
}

/** The window facade. */
export interface RumWindow extends EventTargetLike {
  readonly location: LocationLike;
  history?: HistoryLike;
  fetch?: FetchLike;
  XMLHttpRequest?: { prototype: XhrLike };
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
}

/** The document facade. */
export interface RumDocument extends EventTargetLike {
  readonly visibilityState: string;
}

/** The navigator facade. */
export interface RumNavigator {
  sendBeacon?(url: string, data: string): boolean;
}

/** Everything the SDK needs from its host; time and randomness included. */
export interface RumEnvironment {
  readonly window: RumWindow;
  readonly document: RumDocument;
  readonly navigator: RumNavigator;
  /** `sessionStorage`, or undefined where it is unavailable (sandboxed frames, some privacy modes). */
  readonly storage: StorageLike | undefined;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Monotonic milliseconds for durations. */
  readonly monotonic: () => number;
  /** Uniform in [0, 1), used for session ids. */
  readonly random: () => number;
}

function cryptoRandom(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0]! / 4294967296;
}

/** The environment of the current browser page, or undefined outside a browser (SSR, workers). */
export function browserEnvironment(): RumEnvironment | undefined {
  if (typeof window === 'undefined' || typeof document === 'undefined') return undefined;
  let storage: StorageLike | undefined;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = undefined;
  }
  const perf = typeof performance === 'undefined' ? undefined : performance;
  return {
    window: window as unknown as RumWindow,
    document,
    navigator,
    storage,
    now: () => Date.now(),
    monotonic: () => (perf ? perf.now() : Date.now()),
    random:
      typeof crypto !== 'undefined' && 'getRandomValues' in crypto ? cryptoRandom : Math.random,
  };
}
