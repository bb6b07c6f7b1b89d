/**
 * `createTemplateMiner`: online log template mining with one configuration for every source.
 *
 * 1. Each word is masked (digits, paths, URLs become typed variables), see `mask.ts`.
 * 2. The masked word sequence is looked up exactly; a hit costs one map lookup.
 * 3. A miss is compared with the templates of the same length and service: it joins one that
 *    differs in at most two identifier-like words (words with punctuation or inner capitals,
 *    which are names, not prose), and those positions become `<*>`.
 * 4. Templates live in an LRU of bounded size; state can be saved and restored.
 */
import { FingerprintError, type Result } from '../errors.ts';
import { portableHash, type HashFunctions } from '../hash/sha256.ts';
import { isUnitWord, maskWord, needsMask } from './mask.ts';
import { toFingerprint } from './fingerprint.ts';

/** Options for {@link createTemplateMiner}. */
export interface TemplateMinerOptions {
  /** Most templates kept (least recently used are dropped); default 50 000. */
  readonly maxTemplates?: number;
  /** Hash functions for fingerprints; default portable SHA-256. */
  readonly hash?: HashFunctions;
  /** State from `save()` to continue from. */
  readonly state?: TemplateMinerState;
}

/** What `add` and `match` return. */
export interface TemplateMatch {
  /** Template with typed variables, e.g. `took <NUM> ms from <IP>`. */
  readonly template: string;
  /** The same template with every variable as `<*>` (the Loghub literature format). */
  readonly wildcardTemplate: string;
  /** The variable values of this message, in order. */
  readonly parameters: readonly string[];
  /** `toFingerprint(service, template)`. */
  readonly fingerprint: string;
  /** True when this message created the template or changed it. */
  readonly isNew: boolean;
}

/** Serialisable miner state. */
export interface TemplateMinerState {
  readonly apiVersion: 'slo-scout/template-miner/v1';
  readonly maxTemplates: number;
  /** Templates from least to most recently used. */
  readonly templates: readonly {
    readonly service: string;
    readonly words: readonly string[];
    readonly count: number;
    /** Creation order; ties between equally similar templates go to the lowest. */
    readonly seq: number;
  }[];
  /** Next creation sequence number. */
  readonly nextSeq: number;
}

/** An online template miner. */
export interface TemplateMiner {
  /** Adds a message (already redacted) and returns its template. Never throws. */
  add(message: string, service?: string): TemplateMatch;
  /** Finds the template a message belongs to without learning; `undefined` when none. */
  match(message: string, service?: string): TemplateMatch | undefined;
  /** Number of templates held. */
  readonly size: number;
  /** A JSON-serialisable snapshot. */
  save(): TemplateMinerState;
}

interface Template {
  readonly service: string;
  words: string[];
  count: number;
  template: string;
  wildcard: string;
  fingerprint: string;
  /** Positions generalised by merging (their words are `<*>`). */
  wild: Uint8Array;
  /** Creation sequence number (kept across save/restore). */
  readonly seq: number;
}

const WILD = '<*>';
const VAR = /<[A-Z*][A-Z0-9_]*>|<\*>/g;

function isIdentifierLike(word: string): boolean {
  if (word.includes('<')) return true;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter) return true;
    if (i > 0 && c >= 65 && c <= 90) return true;
  }
  return false;
}

function validate(options: TemplateMinerOptions): number {
  const max = options.maxTemplates ?? options.state?.maxTemplates ?? 50_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new FingerprintError('INVALID_OPTIONS', 'maxTemplates must be a positive integer');
  }
  const state = options.state;
  if (state !== undefined && !parseMinerState(state).ok) {
    throw new FingerprintError('INVALID_STATE', 'not a valid slo-scout/template-miner/v1 state');
  }
  return max;
}

/** Parses unknown JSON into miner state, as a result. */
export function parseMinerState(value: unknown): Result<TemplateMinerState> {
  const v = value as {
    apiVersion?: unknown;
    maxTemplates?: unknown;
    nextSeq?: unknown;
    templates?: unknown;
  } | null;
  if (v === null || typeof v !== 'object' || v.apiVersion !== 'slo-scout/template-miner/v1') {
    return {
      ok: false,
      error: new FingerprintError('INVALID_STATE', 'not a slo-scout/template-miner/v1 state'),
    };
  }
  if (
    !Number.isInteger(v.maxTemplates) ||
    !Number.isInteger(v.nextSeq) ||
    !Array.isArray(v.templates)
  ) {
    return {
      ok: false,
      error: new FingerprintError('INVALID_STATE', 'maxTemplates or templates missing'),
    };
  }
  for (const t of v.templates as {
    service?: unknown;
    words?: unknown;
    count?: unknown;
    seq?: unknown;
  }[]) {
    if (
      typeof t.service !== 'string' ||
      !Array.isArray(t.words) ||
      typeof t.count !== 'number' ||
      typeof t.seq !== 'number'
    ) {
      return {
        ok: false,
        error: new FingerprintError('INVALID_STATE', 'malformed template entry'),
      };
    }
  }
  return { ok: true, value: v as unknown as TemplateMinerState };
}

/**
 * Creates a template miner. Throws `FingerprintError` on bad options or state.
 * @example
 * const miner = createTemplateMiner();
 * miner.add('took 12 ms', 'api').template; // 'took <NUM> ms'
 */
export function createTemplateMiner(options: TemplateMinerOptions = {}): TemplateMiner {
  const maxTemplates = validate(options);
  const hash = options.hash ?? portableHash;
  /** LRU: insertion order is recency. Keyed by an id string. */
  const lru = new Map<number, Template>();
  /** service + length -> template ids. */
  const buckets = new Map<string, Set<number>>();
  /** exact masked key -> template id (a cache; may point to evicted ids). */
  const exact = new Map<string, number>();
  let nextId = 1;
  const scratch = { words: [] as string[], params: [] as string[] };

  function render(t: Template): void {
    t.template = t.words.join(' ');
    t.wildcard = t.template.replace(VAR, WILD);
    t.fingerprint = toFingerprint(t.service, t.wildcard, hash);
  }

  function insert(
    service: string,
    words: string[],
    at: { count: number; seq: number },
  ): [number, Template] {
    const t: Template = {
      service,
      words,
      count: at.count,
      seq: at.seq,
      template: '',
      wildcard: '',
      fingerprint: '',
      wild: new Uint8Array(words.length),
    };
    words.forEach((w, i) => {
      if (w === WILD) t.wild[i] = 1;
    });
    render(t);
    const id = nextId++;
    lru.set(id, t);
    const bucketKey = `${service}\u0000${words.length}`;
    let bucket = buckets.get(bucketKey);
    if (bucket === undefined) buckets.set(bucketKey, (bucket = new Set()));
    bucket.add(id);
    if (lru.size > maxTemplates) {
      const [oldId, old] = lru.entries().next().value as [number, Template];
      lru.delete(oldId);
      buckets.get(`${old.service}\u0000${old.words.length}`)?.delete(oldId);
    }
    return [id, t];
  }

  let nextSeq = options.state?.nextSeq ?? 1;
  for (const s of options.state?.templates ?? []) {
    insert(s.service, [...s.words], { count: s.count, seq: s.seq });
  }

  function mask(message: string): string[] {
    scratch.words = [];
    scratch.params = [];
    const raw = message.split(/\s+/);
    for (let i = 0; i < raw.length; i++) {
      const w = raw[i]!;
      if (w === '') continue;
      if (!needsMask(w)) {
        const prev = scratch.words[scratch.words.length - 1];
        if (prev !== undefined && isUnitWord(w) && /^<(?:NUM)>$/.test(prev)) {
          // `5.2 KB`: the unit belongs to the number
          scratch.words[scratch.words.length - 1] = /^(?:ns|us|ms|secs?)$/i.test(w)
            ? '<DURATION>'
            : '<SIZE>';
          scratch.params[scratch.params.length - 1] =
            `${scratch.params[scratch.params.length - 1] ?? ''} ${w}`;
          continue;
        }
        scratch.words.push(w);
        continue;
      }
      maskWord(w, scratch);
    }
    return scratch.words;
  }

  /** Parameters for generalised positions are the message's words there. */
  function parametersFor(
    t: Template,
    at: { words: readonly string[]; params: string[]; raw: string[] },
  ): string[] {
    const { words, params, raw } = at;
    if (!t.wild.includes(1)) return params;
    const out: string[] = [];
    let p = 0;
    for (let i = 0; i < t.words.length; i++) {
      const w = words[i] ?? '';
      const nVars = (w.match(VAR) ?? []).length;
      if (t.wild[i] === 1) {
        out.push(raw[i] ?? w);
        p += nVars;
      } else {
        for (let k = 0; k < nVars; k++) out.push(params[p++] ?? '');
      }
    }
    return out;
  }

  function findSimilar(
    service: string,
    words: readonly string[],
  ): [number, Template, number[]] | undefined {
    const bucket = buckets.get(`${service}\u0000${words.length}`);
    if (bucket === undefined) return undefined;
    let best: [number, Template, number[]] | undefined;
    for (const id of bucket) {
      const t = lru.get(id)!;
      const diffs: number[] = [];
      let ok = true;
      for (let i = 0; i < words.length && ok; i++) {
        const a = words[i]!;
        const b = t.words[i]!;
        if (a === b || t.wild[i] === 1) continue;
        if (!isIdentifierLike(a) || !isIdentifierLike(b)) ok = false;
        else if (diffs.push(i) > 2) ok = false;
      }
      if (!ok || diffs.length >= words.length) continue;
      // ties go to the oldest template; `seq` is saved with the state, so restores agree
      if (
        best === undefined ||
        diffs.length < best[2].length ||
        (diffs.length === best[2].length && t.seq < best[1].seq)
      ) {
        best = [id, t, diffs];
      }
    }
    return best;
  }

  function lookup(message: string, service: string, learn: boolean): TemplateMatch | undefined {
    const words = mask(message);
    const params = scratch.params;
    const key = `${service}\u0000${words.join(' ')}`;
    let id = exact.get(key);
    let t = id === undefined ? undefined : lru.get(id);
    let isNew = false;
    if (t === undefined) {
      const similar = findSimilar(service, words);
      if (similar !== undefined) {
        [id, t] = similar;
        const diffs = similar[2];
        if (diffs.length > 0 && learn) {
          for (const i of diffs) {
            t.words[i] = WILD;
            t.wild[i] = 1;
          }
          render(t);
          // cached choices may now tie with this template: recompute them
          exact.clear();
          isNew = true;
        } else if (diffs.length > 0) {
          return undefined;
        }
      } else if (learn) {
        [id, t] = insert(service, [...words], { count: 0, seq: nextSeq++ });
        isNew = true;
      } else {
        return undefined;
      }
      if (learn) {
        if (exact.size >= maxTemplates * 4) exact.clear();
        exact.set(key, id);
      }
    }
    if (learn) {
      t.count++;
      lru.delete(id!);
      lru.set(id!, t);
    }
    const rawWords = t.wild.includes(1) ? message.split(/\s+/).filter((w) => w !== '') : [];
    return {
      template: t.template,
      wildcardTemplate: t.wildcard,
      parameters: parametersFor(t, { words, params, raw: rawWords }),
      fingerprint: t.fingerprint,
      isNew,
    };
  }

  return {
    add: (message, service = '') => lookup(message, service, true)!,
    match: (message, service = '') => lookup(message, service, false),
    get size() {
      return lru.size;
    },
    save: () => ({
      apiVersion: 'slo-scout/template-miner/v1',
      maxTemplates,
      templates: [...lru.values()].map((t) => ({
        service: t.service,
        words: [...t.words],
        count: t.count,
        seq: t.seq,
      })),
      nextSeq,
    }),
  };
}
