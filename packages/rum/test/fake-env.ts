/** A DOM-less host for unit tests: plain objects behind the SDK's facades, with a manual clock. */
import type {
  HistoryLike,
  ListenerLike,
  ResponseLike,
  RumEnvironment,
  StorageLike,
  XhrLike,
} from '../src/env.ts';

type Listeners = Map<string, Set<ListenerLike>>;

function target(listeners: Listeners) {
  return {
    addEventListener(type: string, l: ListenerLike) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(l);
    },
    removeEventListener(type: string, l: ListenerLike) {
      listeners.get(type)?.delete(l);
    },
  };
}

export interface FakeRequest {
  readonly url: string;
  readonly init: Record<string, unknown>;
}

/** Builds a fake environment; `fetchReply` decides each fetch's answer. */
export function createFakeEnv(
  opts: {
    seed?: number;
    storage?: Map<string, string>;
    sendBeacon?: boolean | undefined;
    fetchReply?: (url: string) => ResponseLike | Error;
    path?: string;
  } = {},
) {
  let now = 1_700_000_000_000;
  let mono = 0;
  let seed = opts.seed ?? 1;
  const winListeners: Listeners = new Map();
  const docListeners: Listeners = new Map();
  const timers = new Map<number, { at: number; cb: () => void }>();
  let nextTimer = 1;
  const beacons: string[] = [];
  const fetches: FakeRequest[] = [];
  const store = opts.storage ?? new Map<string, string>();
  const storageCalls: string[] = [];
  const storage: StorageLike = {
    getItem(k) {
      storageCalls.push(`get:${k}`);
      return store.get(k) ?? null;
    },
    setItem(k, v) {
      storageCalls.push(`set:${k}`);
      store.set(k, v);
    },
    removeItem(k) {
      storageCalls.push(`remove:${k}`);
      store.delete(k);
    },
  };
  const location = { pathname: opts.path ?? '/', href: `https://shop.example${opts.path ?? '/'}` };
  const setPath = (url: string | URL | null | undefined) => {
    if (url === null || url === undefined) return;
    const u = new URL(String(url), location.href);
    location.pathname = u.pathname;
    location.href = u.href;
  };
  const history: HistoryLike = {
    pushState: (_d, _u, url) => {
      setPath(url);
    },
    replaceState: (_d, _u, url) => {
      setPath(url);
    },
  };
  const fetchReply = opts.fetchReply ?? (() => ({ status: 204 }));
  const fetch = (input: unknown, init?: unknown) => {
    const url = typeof input === 'string' ? input : (input as { url: string }).url;
    fetches.push({ url, init: (init ?? {}) as Record<string, unknown> });
    const r = fetchReply(url);
    return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
  };

  class FakeXhr implements XhrLike {
    status = 0;
    readonly l: Listeners = new Map();
    open(_method: string, _url: string | URL): void {
      // Recorded by the SDK's wrapper.
    }
    send(): void {
      // Completed by the test through finish().
    }
    addEventListener(type: string, listener: () => void): void {
      target(this.l).addEventListener(type, listener);
    }
    finish(status: number, aborted = false): void {
      this.status = status;
      if (aborted) for (const f of this.l.get('abort') ?? []) f(undefined);
      for (const f of this.l.get('loadend') ?? []) f(undefined);
    }
  }

  const win = {
    ...target(winListeners),
    location,
    history,
    fetch: fetch as unknown as NonNullable<RumEnvironment['window']['fetch']>,
    XMLHttpRequest: FakeXhr as unknown as { prototype: XhrLike },
    setTimeout(cb: () => void, ms: number) {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, cb });
      return id;
    },
    clearTimeout(id: never) {
      timers.delete(id);
    },
  };
  const doc = { ...target(docListeners), visibilityState: 'visible' };
  const navigator =
    opts.sendBeacon === undefined
      ? {}
      : {
          sendBeacon(_url: string, data: string) {
            if (opts.sendBeacon) beacons.push(data);
            return opts.sendBeacon === true;
          },
        };
  const env: RumEnvironment = {
    window: win,
    document: doc,
    navigator,
    storage,
    now: () => now,
    monotonic: () => mono,
    random: () => {
      // mulberry32: deterministic per seed.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
  const dispatch = (listeners: Listeners, type: string, event: unknown) => {
    for (const l of [...(listeners.get(type) ?? [])]) l(event);
  };
  return {
    env,
    win,
    doc,
    beacons,
    fetches,
    store,
    storageCalls,
    FakeXhr,
    /** Advances the clocks and runs due timers. */
    advance(ms: number) {
      now += ms;
      mono += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.cb();
        }
      }
    },
    /** Advances only the monotonic clock (for durations). */
    elapse(ms: number) {
      mono += ms;
    },
    pendingTimers: () => timers.size,
    fireWindow: (type: string, event: unknown = {}) => {
      dispatch(winListeners, type, event);
    },
    hide() {
      doc.visibilityState = 'hidden';
      dispatch(docListeners, 'visibilitychange', {});
    },
    /** All bodies sent so far, via sendBeacon and fetch. */
    bodies(): string[] {
      return [...beacons, ...fetches.map((f) => String(f.init['body']))];
    },
  };
}

/** Lets queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
