/**
 * The combined scanner: one character pass computes per-word statistics, numeric spans, word-start
 * prefixes and line gates; a detector runs only on the words, spans or positions whose gates pass
 * (most words never touch a regex), always over the original text. Overlapping candidates are merged into one finding, whose kind is taken from the
 * strongest (then longest) candidate, so nothing a detector matched is ever left visible.
 */
import { findKeyedSecrets, type KeyedHit } from './keyed.ts';
import type {
  CustomDetector,
  Finding,
  NumericSpanStats,
  RegexDetector,
  Strength,
  WordStats,
} from './types.ts';

const GATE_CHARS = '@.:-+=/_~';
const FLAG = new Int32Array(128);
for (let i = 0; i < GATE_CHARS.length; i++) FLAG[GATE_CHARS.charCodeAt(i)] = 1 << i;

function maskOf(chars: string): number {
  let m = 0;
  for (let i = 0; i < chars.length; i++) m |= FLAG[chars.charCodeAt(i)] ?? 0;
  return m;
}

const IS_ALNUM = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  IS_ALNUM[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}

interface Compiled {
  readonly id: string;
  readonly kind: string;
  readonly strength: Strength;
  readonly pattern: RegExp;
  readonly group: number;
  readonly minDigits: number;
  readonly mask: number;
  readonly contains: string | undefined;
  readonly check: ((text: string, start: number, end: number) => number) | undefined;
  readonly wordGate: ((w: WordStats) => boolean) | undefined;
  readonly spanGate: ((s: NumericSpanStats) => boolean) | undefined;
  readonly startGate: ((text: string, at: number) => boolean) | undefined;
  readonly matchWord: RegexDetector['matchWord'];
  /** Case-sensitive literal prefixes verified before a sticky run (two characters pick it). */
  readonly prefixes: readonly string[] | undefined;
}

function compile(d: RegexDetector): Compiled {
  return {
    id: d.id,
    kind: d.kind,
    strength: d.strength,
    pattern: d.pattern,
    group: d.group ?? 0,
    minDigits: d.minDigits ?? 0,
    mask: maskOf(d.needs ?? ''),
    contains: d.contains,
    check: d.check,
    wordGate: d.wordGate,
    spanGate: d.spanGate,
    startGate: d.startGate,
    matchWord: d.matchWord,
    prefixes: d.prefixesIgnoreCase === true ? undefined : d.prefixes,
  };
}

const C_DIGIT = 1;
const C_ALNUM = 2;
/** Characters of a numeric span besides digits: space - . ( ) + */
const C_NUMSEP = 4;
/** Characters that set a line gate flag or a word count. */
const C_PUNCT = 8;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 48 && c <= 57) CLASS[c] = C_DIGIT | C_ALNUM;
  else if (IS_ALNUM[c] === 1) CLASS[c] = C_ALNUM;
}
for (const ch of ' -.()+') CLASS[ch.charCodeAt(0)]! |= C_NUMSEP;
for (const ch of GATE_CHARS) CLASS[ch.charCodeAt(0)]! |= C_PUNCT;

/** Characters that glue a word to the name before it (`.`, `/`, `\\`, `-`, `_`). */
const IN_NAME = new Uint8Array(65536);
for (const ch of './\\-_') IN_NAME[ch.charCodeAt(0)] = 1;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function startsWithAny(text: string, at: number, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (text.startsWith(p, at)) return true;
  return false;
}

function caseVariants(prefix: string): string[] {
  const a = prefix.slice(0, 2);
  const out = new Set<string>();
  for (const x of [a[0]!.toLowerCase(), a[0]!.toUpperCase()]) {
    for (const y of [a[1]!.toLowerCase(), a[1]!.toUpperCase()]) out.add(x + y);
  }
  return [...out];
}

/** Keyed secrets are reported with this detector id and kind. */
const KEYED_KIND: Record<string, string> = {
  strong: 'SECRET',
  weak: 'SECRET',
  auth: 'AUTH',
  cookie: 'SESSION',
};

/** A compiled set of detectors; `find` is safe to call many times and never throws. */
export interface Scanner {
  /** Every sensitive span in `text`, sorted by start, non-overlapping. */
  find(text: string): readonly Finding[];
}

/** Options for {@link createScanner}. */
export interface ScannerOptions {
  readonly detectors: readonly RegexDetector[];
  readonly custom: readonly CustomDetector[];
  readonly keyed: boolean;
}

const EMPTY: readonly Finding[] = Object.freeze([]);

/** Compiles detectors into a {@link Scanner}. */
export function createScanner(options: ScannerOptions): Scanner {
  const global: Compiled[] = [];
  const words: Compiled[] = [];
  const numeric: Compiled[] = [];
  const starts: Compiled[] = [];
  const sticky: Compiled[] = [];
  const table = new Map<number, number[]>();
  for (const d of options.detectors) {
    const c = compile(d);
    if (d.prefixes === undefined) {
      const scope = d.scope ?? 'line';
      if (scope === 'word' && c.wordGate !== undefined) words.push(c);
      else if (scope === 'numeric') numeric.push(c);
      else if (scope === 'start' && c.startGate !== undefined) starts.push(c);
      else global.push(c);
      continue;
    }
    const index = sticky.push(c) - 1;
    for (const p of d.prefixes) {
      const keys = d.prefixesIgnoreCase === true ? caseVariants(p) : [p.slice(0, 2)];
      for (const k of keys) {
        const code = (k.charCodeAt(0) << 7) | k.charCodeAt(1);
        const list = table.get(code) ?? [];
        if (!list.includes(index)) list.push(index);
        table.set(code, list);
      }
    }
  }
  const prefixTable: (number[] | undefined)[] = new Array<number[] | undefined>(128 * 128);
  for (const [code, list] of table) prefixTable[code] = list;
  const custom = options.custom.map((d) => ({
    ...d,
    pattern: new RegExp(d.pattern.source, d.pattern.flags.replace(/[gy]/g, '') + 'g'),
    strength: d.strength ?? 2,
  }));
  const keyed = options.keyed;
  const eqMask = maskOf('=:');

  // Reusable candidate buffers: no per-line allocation unless something is found.
  let cStart = new Int32Array(64);
  let cEnd = new Int32Array(64);
  let cRank = new Int32Array(64);
  const cKind: string[] = [];
  const cId: string[] = [];
  let count = 0;
  const wordStarts = new Int32Array(4096);
  const alnumStarts = new Int32Array(4096);
  const word: WordStats = {
    length: 0,
    digits: 0,
    dots: 0,
    colons: 0,
    dashes: 0,
    at: 0,
    slashes: 0,
    doubleColon: false,
  };
  const span: NumericSpanStats = {
    digits: 0,
    maxRun: 0,
    groups: 0,
    threes: 0,
    fours: 0,
    sixes: 0,
    plus: false,
  };

  function push(start: number, end: number, info: { kind: string; id: string; strength: number }) {
    if (end <= start) return;
    if (count === cStart.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      cStart = grow(cStart);
      cEnd = grow(cEnd);
      cRank = grow(cRank);
    }
    cStart[count] = start;
    cEnd[count] = end;
    cRank[count] = info.strength * 1_000_000 + Math.min(end - start, 999_999);
    cKind[count] = info.kind;
    cId[count] = info.id;
    count++;
  }

  /** The part of the text `runGlobal` scans (set by its callers; avoids a fourth parameter). */
  let segFrom = 0;
  let segTo = 0;
  /** True while numeric-scope detectors run (their checks reject a match after a digit). */
  let skipDigitRun = false;

  /** Runs a global detector over `text.slice(segFrom, segTo)`, reporting offsets in `text`. */
  function runGlobal(text: string, d: Compiled): void {
    const from = segFrom;
    const to = segTo;
    const re = d.pattern;
    const part = from === 0 && to === text.length ? text : text.slice(from, to);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part)) !== null) {
      let start = m.index;
      let end = start + m[0].length;
      if (end === start) re.lastIndex++;
      if (d.group > 0) {
        const g = m.indices?.[d.group];
        if (g === undefined) continue;
        start = g[0];
        end = g[1];
      }
      const accepted = d.check === undefined ? end + from : d.check(text, start + from, end + from);
      if (accepted > start + from) push(start + from, accepted, d);
      else if (d.group === 0 && m[0].length > 1) {
        let next = m.index + 1;
        // numeric detectors reject a match glued to a digit: skip the rest of this digit run
        if (skipDigitRun) while (next < part.length && isDigitCode(part.charCodeAt(next))) next++;
        re.lastIndex = next;
      }
    }
  }

  function runSticky(text: string, d: Compiled, at: number): void {
    const re = d.pattern;
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) return;
    let start = at;
    let end = at + m[0].length;
    if (d.group > 0) {
      const g = m.indices?.[d.group];
      if (g === undefined) return;
      start = g[0];
      end = g[1];
    }
    const accepted = d.check === undefined ? end : d.check(text, start, end);
    if (accepted > start) push(start, accepted, d);
  }

  function resolve(): readonly Finding[] {
    if (count === 0) return EMPTY;
    const order = Array.from({ length: count }, (_, i) => i);
    order.sort((a, b) => cStart[a]! - cStart[b]! || cEnd[b]! - cEnd[a]!);
    const out: Finding[] = [];
    let i = 0;
    while (i < order.length) {
      const first = order[i]!;
      let start = cStart[first]!;
      let end = cEnd[first]!;
      let best = first;
      i++;
      while (i < order.length && cStart[order[i]!]! < end) {
        const j = order[i]!;
        if (cEnd[j]! > end) end = cEnd[j]!;
        if (cRank[j]! > cRank[best]!) best = j;
        if (cStart[j]! < start) start = cStart[j]!;
        i++;
      }
      out.push({ kind: cKind[best]!, detector: cId[best]!, start, end });
    }
    return out;
  }

  const keyedInfo = Object.fromEntries(
    Object.entries(KEYED_KIND).map(([k, kind]) => [k, { kind, id: `keyed-${k}`, strength: 1 }]),
  );

  function emitKeyed(hit: KeyedHit): void {
    push(hit.start, hit.end, keyedInfo[hit.keyClass]!);
  }

  const bounds = { from: 0, to: 0 };
  let current: Compiled | undefined;
  function emitWord(start: number, end: number): void {
    push(start, end, current!);
  }

  function endWord(text: string, from: number, to: number): void {
    segFrom = from;
    segTo = to;
    for (const d of words) {
      if (word.digits < d.minDigits || !d.wordGate!(word)) continue;
      if (d.matchWord === undefined) runGlobal(text, d);
      else {
        bounds.from = from;
        bounds.to = to;
        current = d;
        d.matchWord(text, bounds, emitWord);
      }
    }
  }

  function endSpan(text: string, from: number, to: number): void {
    segFrom = from;
    segTo = to;
    skipDigitRun = true;
    for (const d of numeric) {
      if (
        span.digits >= d.minDigits &&
        (d.spanGate === undefined || d.spanGate(span)) &&
        (d.startGate === undefined || d.startGate(text, from))
      ) {
        runGlobal(text, d);
      }
    }
    skipDigitRun = false;
  }

  /**
   * One pass over the text: word statistics (word-scope detectors run as each interesting word
   * ends), numeric spans (numeric-scope detectors), alphanumeric-run starts for prefix tables and
   * start gates, and line gates (digit count, punctuation present) for the rest.
   */
  function scan(text: string): void {
    const n = text.length;
    let digits = 0;
    let flags = 0;
    let nStarts = 0;
    let nAlnum = 0;
    let prevAlnum = false;
    // current word
    let wStart = -1;
    let wDigits = 0;
    let wDots = 0;
    let wColons = 0;
    let wDashes = 0;
    let wAt = 0;
    let wSlashes = 0;
    let wDouble = false;
    // current numeric span
    let sStart = -1;
    let sDigits = 0;
    let sMaxRun = 0;
    let sGroups = 0;
    let sThrees = 0;
    let sFours = 0;
    let sSixes = 0;
    let sPlus = false;
    let run = 0;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 0; // 0 closes any open span and word
      const k = c < 128 ? CLASS[c]! : 0;
      if (k === C_ALNUM && wStart >= 0 && sStart < 0) {
        // a letter inside a word, outside a numeric span: the common case
        if (!prevAlnum) {
          // start gates only look at runs whose third character is a digit (`GB82 ...`)
          if (i + 2 < n && nAlnum < alnumStarts.length) {
            const c3 = text.charCodeAt(i + 2);
            if (c3 >= 48 && c3 <= 57) alnumStarts[nAlnum++] = i;
          }
          const c2 = i + 1 < n ? text.charCodeAt(i + 1) : 128;
          if (c2 < 128 && prefixTable[(c << 7) | c2] !== undefined && nStarts < wordStarts.length) {
            wordStarts[nStarts++] = i;
          }
          prevAlnum = true;
        }
        // consume the rest of the letters at once
        while (i + 1 < n) {
          const d = text.charCodeAt(i + 1);
          if (d >= 128 || CLASS[d] !== C_ALNUM) break;
          i++;
        }
        continue;
      }
      if ((k & (C_DIGIT | C_NUMSEP)) !== 0) {
        if (sStart < 0) {
          sStart = i;
          sDigits = 0;
          sMaxRun = 0;
          sGroups = 0;
          sThrees = 0;
          sFours = 0;
          sSixes = 0;
          sPlus = false;
        }
        if ((k & C_DIGIT) !== 0) {
          sDigits++;
          if (run++ === 0) sGroups++;
        } else {
          if (run === 3) sThrees++;
          else if (run === 4) sFours++;
          else if (run === 6) sSixes++;
          if (run > sMaxRun) sMaxRun = run;
          run = 0;
          if (c === 43) sPlus = true;
        }
      } else if (sStart >= 0) {
        if (run === 3) sThrees++;
        else if (run === 4) sFours++;
        else if (run === 6) sSixes++;
        if (run > sMaxRun) sMaxRun = run;
        run = 0;
        if (sDigits >= 7) {
          span.digits = sDigits;
          span.maxRun = sMaxRun;
          span.groups = sGroups;
          span.threes = sThrees;
          span.fours = sFours;
          span.sixes = sSixes;
          span.plus = sPlus;
          endSpan(text, sStart, i);
        }
        sStart = -1;
      }
      if (c <= 32) {
        if (wStart >= 0) {
          if (wAt > 0 || (wDigits > 0 && (wDots >= 2 || wDashes >= 3 || wColons >= 5 || wDouble))) {
            word.length = i - wStart;
            word.digits = wDigits;
            word.dots = wDots;
            word.colons = wColons;
            word.dashes = wDashes;
            word.at = wAt;
            word.slashes = wSlashes;
            word.doubleColon = wDouble;
            endWord(text, wStart, i);
          }
          wStart = -1;
        }
        prevAlnum = false;
        continue;
      }
      if (wStart < 0) {
        wStart = i;
        wDigits = 0;
        wDots = 0;
        wColons = 0;
        wDashes = 0;
        wAt = 0;
        wSlashes = 0;
        wDouble = false;
      }
      if ((k & C_ALNUM) !== 0) {
        if ((k & C_DIGIT) !== 0) {
          digits++;
          wDigits++;
        }
        if (!prevAlnum) {
          // start gates only look at runs whose third character is a digit (`GB82 ...`)
          if (i + 2 < n && nAlnum < alnumStarts.length) {
            const c3 = text.charCodeAt(i + 2);
            if (c3 >= 48 && c3 <= 57) alnumStarts[nAlnum++] = i;
          }
          const c2 = i + 1 < n ? text.charCodeAt(i + 1) : 128;
          if (c2 < 128 && prefixTable[(c << 7) | c2] !== undefined && nStarts < wordStarts.length) {
            wordStarts[nStarts++] = i;
          }
          prevAlnum = true;
        }
      } else {
        prevAlnum = false;
        if ((k & C_PUNCT) !== 0) {
          flags |= FLAG[c]!;
          if (c === 46) wDots++;
          else if (c === 58) {
            wColons++;
            if (i > 0 && text.charCodeAt(i - 1) === 58) wDouble = true;
          } else if (c === 45) wDashes++;
          else if (c === 64) wAt++;
          else if (c === 47) wSlashes++;
        }
      }
    }
    for (const d of global) {
      if (digits < d.minDigits || (flags & d.mask) !== d.mask) continue;
      if (d.contains !== undefined && !text.includes(d.contains)) continue;
      segFrom = 0;
      segTo = n;
      runGlobal(text, d);
    }
    for (let s = 0; s < nStarts; s++) {
      const at = wordStarts[s]!;
      const list = prefixTable[(text.charCodeAt(at) << 7) | text.charCodeAt(at + 1)]!;
      for (const index of list) {
        const d = sticky[index]!;
        if (d.prefixes === undefined || startsWithAny(text, at, d.prefixes)) {
          // a token starts a word: `video_box.ico-7a38...png` is a file name, not a key
          if (at > 0 && IN_NAME[text.charCodeAt(at - 1)] === 1) continue;
          runSticky(text, d, at);
        }
      }
    }
    if (starts.length > 0 && digits > 0) {
      for (let s = 0; s < nAlnum; s++) {
        const at = alnumStarts[s]!;
        for (const d of starts) if (d.startGate!(text, at)) runSticky(text, d, at);
      }
    }
    if (keyed && (flags & eqMask) !== 0) findKeyedSecrets(text, emitKeyed);
  }

  function find(text: string): readonly Finding[] {
    count = 0;
    scan(text);
    for (const d of custom) {
      d.pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = d.pattern.exec(text)) !== null) {
        if (m[0].length === 0) {
          d.pattern.lastIndex++;
          continue;
        }
        if (d.validate === undefined || d.validate(m[0])) {
          push(m.index, m.index + m[0].length, d);
        }
      }
    }
    return resolve();
  }

  return { find };
}
