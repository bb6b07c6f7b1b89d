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
import { annotationWords, isUnitWord, maskWord, needsMask, type MaskOutput } from './mask.ts';
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

/** What `add` and `match` return; `parameters` is computed when read. */
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
    /** Prose words seen varying at a position, as `[position, words]` pairs (optional). */
    readonly pending?: readonly (readonly [number, readonly string[]])[];
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
  /** True when at least one position is generalised. */
  hasWild: boolean;
  /** Number of generalised positions. */
  wildCount: number;
  /** Prose words seen at a position, before it has varied enough to generalise. */
  pending: Map<number, string[]> | undefined;
  /** Creation sequence number (kept across save/restore). */
  readonly seq: number;
  /** False once evicted. */
  alive: boolean;
  /** LRU neighbours: `prev` is less recently used. */
  prev: Template | undefined;
  next: Template | undefined;
}

/** A cached lookup: valid while no template has changed since (`epoch`) and its template lives. */
interface CacheEntry {
  readonly service: string;
  /** The message it was computed for; a hit must equal it except for digits. */
  readonly sample: string;
  readonly template: Template;
  readonly epoch: number;
  /** Variable spans (start/end pairs) in `sample`, which are the same in any hit. */
  readonly spans: readonly number[];
}

const WILD = '<*>';
const VAR = /<[A-Z*][A-Z0-9_]*>|<\*>/g;
const UNIT_DURATION = /^(?:ns|us|ms|secs?)$/i;

/**
 * A prose word (plain letters) at one position of a long message becomes a variable only once
 * this many distinct words were seen there: user names vary a lot, `bytes`/`values` do not.
 */
const PROSE_VALUES = 3;
/** Shortest message in which one prose word may vary. */
const PROSE_MIN_WORDS = 5;

/** Characters after which a common prefix is kept, and before which a common suffix is. */
const PREFIX_END = '=:./([#@-_';
const SUFFIX_START = ',;:.)]}/-_';

/** True when `word` fits a pattern such as `rhost=<*>` (its fixed prefix and suffix). */
function fitsPattern(word: string, pattern: string): boolean {
  const at = pattern.indexOf(WILD);
  const suffix = pattern.length - at - WILD.length;
  return (
    word.length >= pattern.length - WILD.length &&
    word.startsWith(pattern.slice(0, at)) &&
    word.endsWith(pattern.slice(at + WILD.length)) &&
    word.length - suffix >= at
  );
}

/**
 * The pattern covering `word` and `other` (a word or a pattern): their common prefix up to a
 * delimiter, `<*>`, and their common suffix from a delimiter; `rhost=<IP>` and `rhost=db.local`
 * give `rhost=<*>`, `core.12` and `core.x` give `core.<*>`.
 */
function generalize(other: string, word: string): string {
  const at = other.indexOf(WILD);
  const head = at < 0 ? other : other.slice(0, at);
  const tail = at < 0 ? other : other.slice(at + WILD.length);
  let p = 0;
  while (p < head.length && p < word.length && head[p] === word[p]) p++;
  while (p > 0 && !PREFIX_END.includes(head[p - 1]!)) p--;
  let q = 0;
  const room = word.length - p;
  while (q < tail.length && q < room && tail[tail.length - 1 - q] === word[word.length - 1 - q]) {
    q++;
  }
  let start = tail.length - q;
  while (start < tail.length && !SUFFIX_START.includes(tail[start]!)) start++;
  return head.slice(0, p) + WILD + tail.slice(start);
}

/** True when a character other than a letter occurs before the word's closing punctuation. */
function hasInnerPunctuation(word: string): boolean {
  let e = word.length;
  while (e > 1 && ':=,;()[]{}'.includes(word[e - 1]!)) e--;
  for (let i = 0; i < e; i++) {
    const c = word.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return true;
  }
  return false;
}

const CONSTANT_CASE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*[:;,.)\]]?$/;

/** `RUNNING`, `JOB_SETUP`, `android.intent.action.SCREEN_ON`: an enum constant. */
function isConstantCase(word: string): boolean {
  const last = word.slice(word.lastIndexOf('.', word.length - 2) + 1);
  if (last.length < 3 || !CONSTANT_CASE.test(last)) return false;
  let letters = 0;
  for (let i = 0; i < last.length; i++) {
    const c = last.charCodeAt(i);
    if (c >= 65 && c <= 90) letters++;
  }
  return letters >= 3;
}

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

/**
 * A 30-bit hash of (service, message) where every ASCII digit counts as `0`: messages that differ
 * only in digits mask to the same template words with variables at the same offsets. Collisions
 * only cost a cache miss (a hit is verified with `sameShape`); 30 bits keep the key a small integer.
 */
function shapeHash(service: string, message: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) h = Math.imul(h ^ service.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0xffff, 0x01000193);
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    h = Math.imul(h ^ ((c - 48) >>> 0 < 10 ? 48 : c), 0x01000193);
  }
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** True when `a` and `b` are equal except that any digit equals any digit. */
function sameShape(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && !(x >= 48 && x <= 57 && y >= 48 && y <= 57)) return false;
  }
  return true;
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
  /** LRU list: `head` is the least recently used. */
  let head: Template | undefined;
  let tail: Template | undefined;
  let size = 0;
  /** service + length -> templates. */
  const buckets = new Map<string, Template[]>();
  /** Bumped whenever a template generalises: every cached choice is then recomputed. */
  let epoch = 0;
  /** Lookup cache by message shape (digits ignored). */
  const shapes = new Map<number, CacheEntry>();
  const maxShapes = Math.max(4096, maxTemplates * 4);
  /** Lookup cache by masked words. */
  const exact = new Map<string, { template: Template; epoch: number }>();
  const scratch: MaskOutput = { message: '', words: [], spans: [] };
  /** Fingerprints by (service, wildcard template): a template seen before is never hashed again. */
  const fingerprints = new Map<string, string>();

  function fingerprintOf(service: string, wildcard: string): string {
    const key = `${service}\u0000${wildcard}`;
    let fp = fingerprints.get(key);
    if (fp === undefined) {
      fp = toFingerprint(service, wildcard, hash);
      if (fingerprints.size >= maxShapes) fingerprints.clear();
      fingerprints.set(key, fp);
    }
    return fp;
  }

  function render(t: Template): void {
    t.template = t.words.join(' ');
    t.wildcard = t.template.replace(VAR, WILD);
    t.fingerprint = fingerprintOf(t.service, t.wildcard);
  }

  function unlink(t: Template): void {
    if (t.prev === undefined) head = t.next;
    else t.prev.next = t.next;
    if (t.next === undefined) tail = t.prev;
    else t.next.prev = t.prev;
    t.prev = undefined;
    t.next = undefined;
  }

  function append(t: Template): void {
    t.prev = tail;
    t.next = undefined;
    if (tail === undefined) head = t;
    else tail.next = t;
    tail = t;
  }

  function touch(t: Template): void {
    if (tail === t) return;
    unlink(t);
    append(t);
  }

  function insert(service: string, words: string[], at: { count: number; seq: number }): Template {
    const t: Template = {
      service,
      words,
      count: at.count,
      seq: at.seq,
      template: '',
      wildcard: '',
      fingerprint: '',
      wild: new Uint8Array(words.length),
      hasWild: false,
      wildCount: 0,
      pending: undefined,
      alive: true,
      prev: undefined,
      next: undefined,
    };
    words.forEach((w, i) => {
      if (w.includes(WILD)) {
        t.wild[i] = 1;
        t.hasWild = true;
        t.wildCount++;
      }
    });
    render(t);
    append(t);
    size++;
    const bucketKey = `${service}\u0000${words.length}`;
    let bucket = buckets.get(bucketKey);
    if (bucket === undefined) buckets.set(bucketKey, (bucket = []));
    bucket.push(t);
    if (size > maxTemplates && head !== undefined) {
      const old = head;
      unlink(old);
      size--;
      old.alive = false;
      const list = buckets.get(`${old.service}\u0000${old.words.length}`);
      if (list !== undefined) list.splice(list.indexOf(old), 1);
    }
    return t;
  }

  let nextSeq = options.state?.nextSeq ?? 1;
  for (const s of options.state?.templates ?? []) {
    const t = insert(s.service, [...s.words], { count: s.count, seq: s.seq });
    if (s.pending !== undefined && s.pending.length > 0) {
      t.pending = new Map(s.pending.map(([at, seen]) => [at, [...seen]]));
    }
  }

  /** Splits and masks a message into `scratch`. */
  function mask(message: string): void {
    const words: string[] = [];
    const spans: number[] = [];
    scratch.message = message;
    scratch.words = words;
    scratch.spans = spans;
    const n = message.length;
    let i = 0;
    while (i < n) {
      while (i < n && isSpace(message.charCodeAt(i))) i++;
      if (i >= n) break;
      let j = i;
      while (j < n && !isSpace(message.charCodeAt(j))) j++;
      const w = message.slice(i, j);
      if (w.charCodeAt(0) === 40 && words.length > 0) {
        const skip = skipAnnotation(message, w, j);
        if (skip > 0) {
          i = skip;
          continue;
        }
      }
      if (!needsMask(w)) {
        const prev = words[words.length - 1];
        const unit = prev === '<NUM>' ? unitOf(w) : '';
        if (unit !== '') {
          // `5.2 KB`, `5.2 KB,`: the unit belongs to the number, punctuation stays
          words[words.length - 1] =
            (UNIT_DURATION.test(unit) ? '<DURATION>' : '<SIZE>') + w.slice(unit.length);
          spans[spans.length - 1] = i + unit.length;
        } else {
          words.push(w);
        }
      } else {
        maskWord(scratch, i, j);
      }
      i = j;
    }
  }

  /** Variable spans for a template: generalised positions take the message's whole word. */
  function spansFor(t: Template, message: string): number[] {
    const { words, spans } = scratch;
    if (!t.hasWild) return spans;
    const out: number[] = [];
    let p = 0;
    let i = 0;
    const n = message.length;
    for (let w = 0; w < t.words.length; w++) {
      while (i < n && isSpace(message.charCodeAt(i))) i++;
      let j = i;
      while (j < n && !isSpace(message.charCodeAt(j))) j++;
      const nVars = ((words[w] ?? '').match(VAR) ?? []).length;
      if (t.wild[w] === 1) {
        const pattern = t.words[w]!;
        const at = pattern.indexOf(WILD);
        if (pattern === WILD || j - i < pattern.length - WILD.length) out.push(i, j);
        else out.push(i + at, j - (pattern.length - at - WILD.length));
        p += nVars;
      } else {
        for (let k = 0; k < nVars; k++, p++) out.push(spans[2 * p]!, spans[2 * p + 1]!);
      }
      i = j;
    }
    return out;
  }

  function findSimilar(
    service: string,
    words: readonly string[],
  ): [Template, number[], number] | undefined {
    const bucket = buckets.get(`${service}\u0000${words.length}`);
    if (bucket === undefined) return undefined;
    let best: [Template, number[], number] | undefined;
    for (const t of bucket) {
      const diffs: number[] = [];
      let proseAt = -1;
      let ok = true;
      for (let i = 0; i < words.length && ok; i++) {
        const a = words[i]!;
        const b = t.words[i]!;
        if (a === b) continue;
        // an enum constant (`RUNNING`, `action.SCREEN_ON`) is part of the event, never a value;
        // so is the first word (a method, a verb) unless it carries inner punctuation
        // (a position that already varies takes any word but a plain first word)
        if (i === 0 && !hasInnerPunctuation(a)) ok = false;
        else if (t.wild[i] === 1) {
          // a varying position; outside its fixed prefix/suffix (`rhost=<*>`) it widens
          if (b !== WILD && !fitsPattern(a, b) && diffs.push(i) > 2) ok = false;
        } else if (isConstantCase(a) || isConstantCase(b)) ok = false;
        else if (i === 0 && !hasInnerPunctuation(b)) ok = false;
        else if (isIdentifierLike(a) && isIdentifierLike(b)) {
          if (diffs.push(i) > 2) ok = false;
        } else if (i > 0 && words.length >= PROSE_MIN_WORDS && proseAt < 0) {
          proseAt = i;
          if (diffs.push(i) > 2) ok = false;
        } else ok = false;
      }
      if (!ok) continue;
      // at least half of the words stay constant after the merge
      if ((t.wildCount + diffs.length) * 2 > words.length) continue;
      // ties go to the oldest template; `seq` is saved with the state, so restores agree
      if (
        best === undefined ||
        diffs.length < best[1].length ||
        (diffs.length === best[1].length && t.seq < best[0].seq)
      ) {
        best = [t, diffs, proseAt];
      }
    }
    return best;
  }

  /**
   * Records the prose word a message has where `similar` differs from it; true once the position
   * has seen {@link PROSE_VALUES} distinct words (the merge may then go ahead).
   */
  function notePending(similar: [Template, number[], number], words: readonly string[]): boolean {
    const [t, , at] = similar;
    t.pending ??= new Map();
    const seen = t.pending.get(at) ?? [];
    const word = words[at]!;
    if (!seen.includes(word)) seen.push(word);
    if (seen.length + 1 >= PROSE_VALUES) {
      t.pending.delete(at);
      return true;
    }
    t.pending.set(at, seen);
    return false;
  }

  function result(t: Template, message: string, spans: readonly number[]): Match {
    return new Match(t, message, spans);
  }

  function lookup(message: string, service: string, learn: boolean): TemplateMatch | undefined {
    // 1. the shape cache: same message up to digits, nothing generalised since
    const h = shapeHash(service, message);
    const hit = shapes.get(h);
    if (
      hit !== undefined &&
      hit.epoch === epoch &&
      hit.template.alive &&
      hit.service === service &&
      sameShape(hit.sample, message)
    ) {
      const t = hit.template;
      if (learn) {
        t.count++;
        touch(t);
      }
      return result(t, message, hit.spans);
    }
    // 2. fresh lookup: mask, then exact words, then the most similar template
    mask(message);
    const words = scratch.words;
    const key = `${service}\u0000${words.join(' ')}`;
    const cached = exact.get(key);
    let t =
      cached !== undefined && cached.epoch === epoch && cached.template.alive
        ? cached.template
        : undefined;
    let isNew = false;
    if (t === undefined) {
      let similar = findSimilar(service, words);
      if (similar !== undefined && similar[2] >= 0 && learn && !notePending(similar, words)) {
        similar = undefined; // a prose word not yet seen varying enough: a template of its own
      }
      if (similar !== undefined) {
        const [found, diffs] = similar;
        t = found;
        if (diffs.length > 0) {
          if (!learn) return undefined;
          for (const i of diffs) {
            t.words[i] = generalize(t.words[i]!, words[i]!);
            if (t.wild[i] !== 1) t.wildCount++;
            t.wild[i] = 1;
          }
          t.hasWild = true;
          render(t);
          // cached choices may now tie with this template: recompute them
          epoch++;
          isNew = true;
        }
      } else if (learn) {
        t = insert(service, [...words], { count: 0, seq: nextSeq++ });
        isNew = true;
      } else {
        return undefined;
      }
      if (exact.size >= maxShapes) exact.clear();
      exact.set(key, { template: t, epoch });
    }
    if (learn) {
      t.count++;
      touch(t);
    }
    const spans = spansFor(t, message);
    if (shapes.size >= maxShapes) shapes.clear();
    shapes.set(h, { service, sample: message, template: t, epoch, spans });
    const r = result(t, message, spans);
    r.isNew = isNew;
    return r;
  }

  return {
    add: (message, service = '') => lookup(message, service, true)!,
    match: (message, service = '') => lookup(message, service, false),
    get size() {
      return size;
    },
    save: () => {
      const templates: TemplateMinerState['templates'][number][] = [];
      for (let t = head; t !== undefined; t = t.next) {
        const entry = { service: t.service, words: [...t.words], count: t.count, seq: t.seq };
        templates.push(
          t.pending === undefined || t.pending.size === 0
            ? entry
            : {
                ...entry,
                pending: [...t.pending].map(([at, seen]) => [at, [...seen]] as const),
              },
        );
      }
      return { apiVersion: 'slo-scout/template-miner/v1', maxTemplates, templates, nextSeq };
    },
  };
}

/** A match; `parameters` is sliced from the message when first read. */
class Match implements TemplateMatch {
  readonly template: string;
  readonly wildcardTemplate: string;
  readonly fingerprint: string;
  isNew = false;
  readonly #message: string;
  readonly #spans: readonly number[];

  constructor(t: Template, message: string, spans: readonly number[]) {
    this.template = t.template;
    this.wildcardTemplate = t.wildcard;
    this.fingerprint = t.fingerprint;
    this.#message = message;
    this.#spans = spans;
  }

  get parameters(): readonly string[] {
    const out: string[] = [];
    const spans = this.#spans;
    for (let k = 0; k < spans.length; k += 2) {
      out.push(this.#message.slice(spans[k], spans[k + 1]));
    }
    return out;
  }

  /** Plain object for `JSON.stringify`, parameters included. */
  toJSON(): TemplateMatch {
    return {
      template: this.template,
      wildcardTemplate: this.wildcardTemplate,
      parameters: this.parameters,
      fingerprint: this.fingerprint,
      isNew: this.isNew,
    };
  }
}

/** End offset of a size/duration annotation starting with word `w` (ending at `j`), else 0. */
function skipAnnotation(message: string, w: string, j: number): number {
  let k = j;
  while (k < message.length && isSpace(message.charCodeAt(k))) k++;
  let e = k;
  while (e < message.length && !isSpace(message.charCodeAt(e))) e++;
  const count = annotationWords(w, e > k ? message.slice(k, e) : undefined);
  return count === 1 ? j : count === 2 ? e : 0;
}

/** The unit word at the start of `w` when only closing punctuation follows it, else ''. */
function unitOf(w: string): string {
  let e = w.length;
  while (e > 1 && ',;.)]}'.includes(w[e - 1]!)) e--;
  const unit = e === w.length ? w : w.slice(0, e);
  return isUnitWord(unit) ? unit : '';
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
