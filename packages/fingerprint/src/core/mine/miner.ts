/**
 * `createTemplateMiner`: online log template mining with one configuration for every source.
 *
 * 1. A message of a known shape (digits read as `0`) since the last generalisation is answered
 *    from a cache (`shape.ts`); a hit is what a fresh lookup would return.
 * 2. Otherwise each word is masked (digits, paths, URLs, hosts become typed variables, see
 *    `mask.ts`) and the masked words are looked up exactly.
 * 3. A miss joins the most similar template of the same length and service under the word rules
 *    of `word-rules.ts`; only the varying part of each differing word becomes `<*>`.
 * 4. Templates live in an LRU of bounded size; state can be saved and restored (`state.ts`).
 */
import { FingerprintError } from '../errors.ts';
import { portableHash, type HashFunctions } from '../hash/sha256.ts';
import { maskWord, needsMask, type MaskOutput } from './mask.ts';
import { Match } from './match.ts';
import { parseMinerState, type TemplateMinerState } from './state.ts';
import { sameShape as sameShapeOf, shapeHash as shapeHashOf } from './shape.ts';
import {
  WILD,
  fitsPattern,
  generalize,
  hasInnerPunctuation,
  isConstantCase,
  isIdentifierLike,
  isSpace,
  PROSE_MIN_WORDS,
  PROSE_VALUES,
  skipAnnotation,
  unitOf,
} from './word-rules.ts';
import { toFingerprint } from './fingerprint.ts';

// bound once: per-line calls then skip the module-namespace lookup of a transpiled import
const shapeHash = shapeHashOf;
const sameShape = sameShapeOf;

/** Options for {@link createTemplateMiner}. */
export interface TemplateMinerOptions {
  /** Most templates kept (least recently used are dropped); default 50 000. */
  readonly maxTemplates?: number;
  /** Hash functions for fingerprints; default portable SHA-256. */
  readonly hash?: HashFunctions;
  /** State from `save()` to continue from. */
  readonly state?: TemplateMinerState;
}

export { parseMinerState } from './state.ts';
export type { TemplateMinerState } from './state.ts';

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

const VAR = /<[A-Z*][A-Z0-9_]*>|<\*>/g;
const UNIT_DURATION = /^(?:ns|us|ms|secs?)$/i;

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
