/**
 * The combined scanner: one character pass computes cheap gates (digit count, which punctuation
 * occurs, which word-start prefixes occur); only the detectors whose gates pass run, all over the
 * original text. Overlapping candidates are merged into one finding, whose kind is taken from the
 * strongest (then longest) candidate, so nothing a detector matched is ever left visible.
 */
import { findKeyedSecrets } from './keyed.ts';
import type { CustomDetector, Finding, RegexDetector, Strength } from './types.ts';

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
  };
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
  const sticky: Compiled[] = [];
  const table = new Map<number, number[]>();
  for (const d of options.detectors) {
    const c = compile(d);
    if (d.prefixes === undefined) {
      global.push(c);
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

  function runGlobal(text: string, d: Compiled): void {
    const re = d.pattern;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      let start = m.index;
      let end = start + m[0].length;
      if (end === start) re.lastIndex++;
      if (d.group > 0) {
        const span = m.indices?.[d.group];
        if (span === undefined) continue;
        start = span[0];
        end = span[1];
      }
      const accepted = d.check === undefined ? end : d.check(text, start, end);
      if (accepted > start) push(start, accepted, d);
      else if (d.group === 0 && m[0].length > 1) re.lastIndex = m.index + 1;
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
      const span = m.indices?.[d.group];
      if (span === undefined) return;
      start = span[0];
      end = span[1];
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

  function find(text: string): readonly Finding[] {
    count = 0;
    const n = text.length;
    let digits = 0;
    let flags = 0;
    let starts = 0;
    let prevAlnum = false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const alnum = IS_ALNUM[c] === 1;
        if (c >= 48 && c <= 57) digits++;
        else flags |= FLAG[c]!;
        if (alnum && !prevAlnum && i + 1 < n) {
          const c2 = text.charCodeAt(i + 1);
          if (c2 < 128 && prefixTable[(c << 7) | c2] !== undefined && starts < wordStarts.length) {
            wordStarts[starts++] = i;
          }
        }
        prevAlnum = alnum;
      } else prevAlnum = false;
    }
    for (const d of global) {
      if (digits < d.minDigits || (flags & d.mask) !== d.mask) continue;
      if (d.contains !== undefined && !text.includes(d.contains)) continue;
      runGlobal(text, d);
    }
    for (let s = 0; s < starts; s++) {
      const at = wordStarts[s]!;
      const list = prefixTable[(text.charCodeAt(at) << 7) | text.charCodeAt(at + 1)]!;
      for (const index of list) runSticky(text, sticky[index]!, at);
    }
    if (keyed && (flags & eqMask) !== 0) {
      findKeyedSecrets(text, (hit) => {
        push(hit.start, hit.end, {
          kind: KEYED_KIND[hit.keyClass]!,
          id: `keyed-${hit.keyClass}`,
          strength: 1,
        });
      });
    }
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
