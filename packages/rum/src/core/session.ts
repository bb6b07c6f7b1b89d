/** A RUM session as kept in `sessionStorage`. */
export interface SessionState {
  /** Session id, 22 characters of `[A-Za-z0-9_-]`. */
  readonly id: string;
  /** Epoch ms of the session's first event. */
  readonly startedAt: number;
  /** Epoch ms of the session's latest event. */
  readonly lastSeenAt: number;
  /** Sequence number of the next event (unique per session, so re-sent beacons dedupe). */
  readonly nextSeq: number;
}

/** When a session ends, and how the next one is named. */
export interface SessionPolicy {
  /** Makes the id of a new session. */
  readonly newId: () => string;
  /** A gap longer than this starts a new session. */
  readonly inactivityMs: number;
  /** A session older than this starts over. */
  readonly maxDurationMs: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** Makes a 22-character session id (132 bits) from a uniform `random()` in [0, 1). */
export function newSessionId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += ALPHABET.charAt(Math.floor(random() * 64) & 63);
  return id;
}

/** True when `state` is still live at `now` under `policy`. */
export function isLive(
  state: SessionState,
  now: number,
  policy: Omit<SessionPolicy, 'newId'>,
): boolean {
  return (
    now - state.lastSeenAt <= policy.inactivityMs &&
    now - state.startedAt <= policy.maxDurationMs &&
    now >= state.startedAt
  );
}

/**
 * Advances the session to `now`: the same session when live (last seen updated), a fresh one with
 * sequence 0 when there is none, it expired, or the clock went back before its start.
 */
export function touchSession(
  prev: SessionState | undefined,
  now: number,
  policy: SessionPolicy,
): SessionState {
  if (prev && isLive(prev, now, policy)) {
    return { ...prev, lastSeenAt: Math.max(prev.lastSeenAt, now) };
  }
  return { id: policy.newId(), startedAt: now, lastSeenAt: now, nextSeq: 0 };
}

/** Reads a stored session; anything malformed reads as none. */
export function parseSession(text: string | null | undefined): SessionState | undefined {
  if (!text) return undefined;
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof x !== 'object' || x === null) return undefined;
  const s = x as Record<string, unknown>;
  const { id, startedAt, lastSeenAt, nextSeq } = s;
  if (
    typeof id !== 'string' ||
    !/^[A-Za-z0-9_-]{8,128}$/.test(id) ||
    typeof startedAt !== 'number' ||
    typeof lastSeenAt !== 'number' ||
    !Number.isSafeInteger(nextSeq) ||
    (nextSeq as number) < 0 ||
    !Number.isFinite(startedAt) ||
    !Number.isFinite(lastSeenAt)
  ) {
    return undefined;
  }
  return { id, startedAt, lastSeenAt, nextSeq: nextSeq as number };
}

/** Serialises a session for storage. */
export function serializeSession(state: SessionState): string {
  return JSON.stringify(state);
}

/**
 * Deterministic sampling: a session is kept when the FNV-1a hash of its id, as a fraction of
 * 2^32, is below `rate`. The same session always gets the same answer, on every page.
 */
export function isSampled(sessionId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (!(rate > 0)) return false;
  let h = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i++) {
    h ^= sessionId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4294967296 < rate;
}
