import {
  clip,
  MAX_EVENTS_PER_BEACON,
  toBeacons,
  type QueuedEvent,
  type RumBeaconEvent,
  type RumEventType,
} from './core/beacon.ts';
import { RumError } from './core/errors.ts';
import {
  isLive,
  isSampled,
  newSessionId,
  parseSession,
  serializeSession,
  touchSession,
  type SessionPolicy,
  type SessionState,
} from './core/session.ts';
import {
  browserEnvironment,
  type BeaconFetchInit,
  type LocationLike,
  type ResponseLike,
  type RumEnvironment,
} from './env.ts';

/** Consent states: nothing is sent before `granted`; `denied` also stops recording. */
export type ConsentState = 'granted' | 'pending' | 'denied';

/** An event as recorded (time, sequence, route, journey and step are added by the client). */
export interface RumEventInput {
  readonly t: RumEventType;
  readonly name?: string;
  readonly value?: number;
  readonly rating?: string;
  readonly message?: string;
  readonly url?: string;
  readonly method?: string;
  readonly status?: number;
  readonly duration?: number;
  readonly attrs?: Readonly<Record<string, string | number | boolean>>;
}

/** What a plugin gets from the client. */
export interface RumPluginContext {
  /** The host environment. */
  readonly env: RumEnvironment;
  /** The beacon endpoint (plugins must not report requests to it). */
  readonly endpoint: string;
  /** Records an event. */
  readonly record: (event: RumEventInput) => void;
  /** Re-reads the route and records a `route_change` when it changed. */
  readonly trackRoute: () => void;
}

/** An optional instrumentation; `setup` returns its teardown. */
export interface RumPlugin {
  /** Name, for debugging. */
  readonly name: string;
  /** Installs the instrumentation. */
  setup(context: RumPluginContext): () => void;
}

/** Options of {@link createRum}. */
export interface RumOptions {
  /** Absolute URL of the collectors' beacon endpoint, e.g. `https://rum.example/rum/v1/beacon`. */
  readonly endpoint: string;
  /** Service name the events belong to (1-128 of `[A-Za-z0-9_.-]`). Default: the receiver's. */
  readonly service?: string;
  /** Fraction of sessions recorded, 0 to 1, decided per session id. Default 1. */
  readonly sampleRate?: number;
  /** Initial consent. Default `pending`: events wait in memory until {@link Rum.setConsent}. */
  readonly consent?: ConsentState;
  /** Inactivity that ends a session. Default 30 minutes. */
  readonly sessionInactivityMs?: number;
  /** Longest session. Default 4 hours. */
  readonly maxSessionMs?: number;
  /** Delay before queued events are sent. Default 5000 ms. */
  readonly flushIntervalMs?: number;
  /** Queue length that triggers an immediate send. Default 20. */
  readonly maxBatchEvents?: number;
  /** Target size of one beacon body. Default 32,000 bytes (under the 64 KiB keepalive quota). */
  readonly maxBeaconBytes?: number;
  /** Most events held (waiting for consent or for a retry); newer ones are dropped. Default 500. */
  readonly maxQueue?: number;
  /** Maps the location to a route label. Default: the pathname. */
  readonly routeOf?: (location: LocationLike) => string;
  /** Records a `page_view` at start. Default true. */
  readonly pageView?: boolean;
  /** Instrumentations (see `routeChanges`, `jsErrors`, `failedRequests`, `webVitals`). */
  readonly plugins?: readonly RumPlugin[];
  /** Host facades; default the current browser page. */
  readonly environment?: RumEnvironment;
  /** `sessionStorage` key. Default `slo-scout.rum`. */
  readonly storageKey?: string;
}

/** A running RUM client. */
export interface Rum {
  /** The current session id. */
  readonly sessionId: string;
  /** Whether the current session is sampled in. */
  readonly sampled: boolean;
  /** The current consent state. */
  readonly consent: ConsentState;
  /** Events waiting to be sent. */
  readonly queued: number;
  /** Tags every later event with a journey and step; `null` clears them. */
  setJourney(name: string | null, step?: string): void;
  /** The consent hook: `true` persists the session and sends; `false` drops and stops. */
  setConsent(granted: boolean): void;
  /** Records an event (for custom instrumentations). */
  record(event: RumEventInput): void;
  /** Re-reads the route; records a `route_change` when it changed. */
  trackRoute(): void;
  /** Sends queued events now (when consent is granted). */
  flush(): void;
  /** Removes every instrumentation and listener, after a last flush. */
  stop(): void;
}

const SERVICE = /^[\w.-]{1,128}$/;

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) {
    throw new RumError('INVALID_OPTIONS', `${name} must be a positive number, got ${v}`);
  }
  return v;
}

interface Pending extends QueuedEvent {
  readonly tries: number;
}

/**
 * Creates the RUM client: sessions in `sessionStorage` (rotating after inactivity), deterministic
 * per-session sampling, a consent gate, and batched beacons (`navigator.sendBeacon`, falling back
 * to `fetch` with `keepalive`). Throws {@link RumError} for bad options or outside a browser.
 */
export function createRum(options: RumOptions): Rum {
  const env = options.environment ?? browserEnvironment();
  if (!env)
    throw new RumError('NO_ENVIRONMENT', 'no browser environment: pass options.environment');
  const endpoint = options.endpoint;
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new RumError('INVALID_OPTIONS', 'endpoint must be a non-empty URL');
  }
  const service = options.service;
  if (service !== undefined && !SERVICE.test(service)) {
    throw new RumError('INVALID_OPTIONS', `service must match ${SERVICE.source}, got ${service}`);
  }
  const rate = options.sampleRate ?? 1;
  if (!(rate >= 0 && rate <= 1)) {
    throw new RumError('INVALID_OPTIONS', `sampleRate must be within [0, 1], got ${rate}`);
  }
  const policy: SessionPolicy = {
    inactivityMs: positive('sessionInactivityMs', options.sessionInactivityMs, 30 * 60_000),
    maxDurationMs: positive('maxSessionMs', options.maxSessionMs, 4 * 3_600_000),
    newId: () => newSessionId(env.random),
  };
  const flushMs = positive('flushIntervalMs', options.flushIntervalMs, 5000);
  const maxBatch = Math.min(
    MAX_EVENTS_PER_BEACON,
    positive('maxBatchEvents', options.maxBatchEvents, 20),
  );
  const limits = {
    maxEvents: MAX_EVENTS_PER_BEACON,
    maxBytes: positive('maxBeaconBytes', options.maxBeaconBytes, 32_000),
  };
  const maxQueue = positive('maxQueue', options.maxQueue, 500);
  const key = options.storageKey ?? 'slo-scout.rum';
  const routeOf = (l: LocationLike) =>
    clip((options.routeOf ?? ((x: LocationLike) => x.pathname))(l));
  const { window: win, document: doc, navigator: nav, storage } = env;
  // Captured before any plugin wraps fetch, so the SDK's own requests are never reported.
  const fetchFn = win.fetch?.bind(win) as
    ((url: string, init: BeaconFetchInit) => Promise<ResponseLike>) | undefined;

  let consent: ConsentState = options.consent ?? 'pending';
  let session: SessionState | undefined;
  let journey: string | undefined;
  let step: string | undefined;
  let route = routeOf(win.location);
  let queue: Pending[] = [];
  let timer: unknown;
  let stopped = false;

  const persist = () => {
    if (consent !== 'granted' || !storage || !session) return;
    try {
      storage.setItem(key, serializeSession(session));
    } catch {
      // Storage full or blocked: the session lives on in memory.
    }
  };
  const stored = (): SessionState | undefined => {
    try {
      return parseSession(storage?.getItem(key));
    } catch {
      return undefined;
    }
  };
  const current = (now: number): SessionState => {
    // Before consent nothing is read from or written to storage.
    if (!session && consent === 'granted') session = stored();
    session = touchSession(session, now, policy);
    return session;
  };

  // Reading the id is not activity: a live session is returned as is, without extending it.
  const peek = (): SessionState =>
    session && isLive(session, env.now(), policy) ? session : current(env.now());

  const schedule = () => {
    if (timer !== undefined || consent !== 'granted' || queue.length === 0 || stopped) return;
    timer = win.setTimeout(() => {
      timer = undefined;
      flush();
    }, flushMs);
  };

  const enqueue = (items: readonly Pending[], front: boolean) => {
    const room = Math.max(0, maxQueue - queue.length);
    const kept = items.slice(0, room);
    if (front) queue = [...kept, ...queue];
    else queue.push(...kept);
  };

  const send = (body: string): Promise<'sent' | 'retry' | 'drop'> => {
    try {
      if (nav.sendBeacon?.(endpoint, body)) return Promise.resolve('sent');
    } catch {
      // Some browsers throw for cross-origin beacons under strict policies: fall back to fetch.
    }
    if (!fetchFn) return Promise.resolve('drop');
    return fetchFn(endpoint, {
      method: 'POST',
      body,
      keepalive: true,
      credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    }).then(
      (r) => (r.status === 429 || r.status >= 500 ? 'retry' : r.status < 400 ? 'sent' : 'drop'),
      () => 'retry' as const,
    );
  };

  const flush = () => {
    if (timer !== undefined) {
      win.clearTimeout(timer as never);
      timer = undefined;
    }
    if (consent !== 'granted' || queue.length === 0) return;
    const batch = queue;
    queue = [];
    for (const beacon of toBeacons(batch, service, limits)) {
      void send(beacon.body).then((outcome) => {
        if (outcome !== 'retry' || stopped) return;
        const again = (beacon.items as Pending[])
          .filter((q) => q.tries < 2)
          .map((q) => ({ ...q, tries: q.tries + 1 }));
        enqueue(again, true);
        schedule();
      });
    }
  };

  const record = (input: RumEventInput) => {
    if (consent === 'denied' || stopped) return;
    const now = env.now();
    const s = current(now);
    if (!isSampled(s.id, rate)) {
      // Stored all the same, so the next page keeps this session and its decision.
      persist();
      return;
    }
    session = { ...s, nextSeq: s.nextSeq + 1 };
    persist();
    const event: RumBeaconEvent = {
      ...input,
      ts: now,
      seq: s.nextSeq,
      route,
      ...(journey === undefined ? {} : { journey }),
      ...(step === undefined ? {} : { step }),
    };
    enqueue([{ sid: s.id, event, tries: 0 }], false);
    if (queue.length >= maxBatch) flush();
    else schedule();
  };

  const trackRoute = () => {
    const next = routeOf(win.location);
    if (next === route) return;
    const from = route;
    route = next;
    record({ t: 'route_change', attrs: { from } });
  };

  const setConsent = (granted: boolean) => {
    if (!granted) {
      consent = 'denied';
      queue = [];
      try {
        storage?.removeItem(key);
      } catch {
        // Nothing stored, or storage blocked.
      }
      return;
    }
    if (consent === 'granted') return;
    consent = 'granted';
    // A session stored by an earlier page of this tab wins: queued events move over to it, and
    // follow its sampling decision.
    const prior = stored();
    const memory = session;
    if (prior && memory && prior.id !== memory.id && isLive(prior, env.now(), policy)) {
      let seq = prior.nextSeq;
      const keep = isSampled(prior.id, rate);
      queue = queue.flatMap((q) =>
        q.sid !== memory.id
          ? [q]
          : keep
            ? [{ ...q, sid: prior.id, event: { ...q.event, seq: seq++ } }]
            : [],
      );
      session = {
        ...prior,
        lastSeenAt: Math.max(prior.lastSeenAt, memory.lastSeenAt),
        nextSeq: seq,
      };
    } else if (!memory && prior) {
      session = prior;
    }
    persist();
    flush();
  };

  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') flush();
  };
  // On document, not in capture: web-vitals reports from capture listeners on window, which run
  // first, so the final LCP/CLS/INP values are queued before this flush.
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('pagehide', flush);

  const context = { env, endpoint, record, trackRoute };
  const teardowns = (options.plugins ?? []).map((p) => p.setup(context));
  if (options.pageView ?? true) record({ t: 'page_view' });

  return {
    get sessionId() {
      return peek().id;
    },
    get sampled() {
      return isSampled(peek().id, rate);
    },
    get consent() {
      return consent;
    },
    get queued() {
      return queue.length;
    },
    setJourney(name, stepName) {
      journey = name === null ? undefined : clip(name);
      step = name === null || stepName === undefined ? undefined : clip(stepName);
    },
    setConsent,
    record,
    trackRoute,
    flush,
    stop() {
      flush();
      stopped = true;
      for (const t of teardowns) t();
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('pagehide', flush);
    },
  };
}
