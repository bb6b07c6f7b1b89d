/** Character tables, compiled detectors and small helpers of the scanner. */
import type { NumericSpanStats, RegexDetector, Strength, WordStats } from './types.ts';

export const GATE_CHARS = '@.:-+=/_~';
export const FLAG = new Int32Array(128);
for (let i = 0; i < GATE_CHARS.length; i++) FLAG[GATE_CHARS.charCodeAt(i)] = 1 << i;

export function maskOf(chars: string): number {
  let m = 0;
  for (let i = 0; i < chars.length; i++) m |= FLAG[chars.charCodeAt(i)] ?? 0;
  return m;
}

export const IS_ALNUM = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  IS_ALNUM[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}

export interface Compiled {
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

export function compile(d: RegexDetector): Compiled {
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

export const C_DIGIT = 1;
export const C_ALNUM = 2;
/** Characters of a numeric span besides digits: space - . ( ) + */
export const C_NUMSEP = 4;
/** Characters that set a line gate flag or a word count. */
export const C_PUNCT = 8;
export const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 48 && c <= 57) CLASS[c] = C_DIGIT | C_ALNUM;
  else if (IS_ALNUM[c] === 1) CLASS[c] = C_ALNUM;
}
for (const ch of ' -.()+') CLASS[ch.charCodeAt(0)]! |= C_NUMSEP;
for (const ch of GATE_CHARS) CLASS[ch.charCodeAt(0)]! |= C_PUNCT;

/** Characters that glue a word to the name before it (`.`, `/`, `\\`, `-`, `_`). */
export const IN_NAME = new Uint8Array(65536);
for (const ch of './\\-_') IN_NAME[ch.charCodeAt(0)] = 1;

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function startsWithAny(text: string, at: number, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (text.startsWith(p, at)) return true;
  return false;
}

export function caseVariants(prefix: string): string[] {
  const a = prefix.slice(0, 2);
  const out = new Set<string>();
  for (const x of [a[0]!.toLowerCase(), a[0]!.toUpperCase()]) {
    for (const y of [a[1]!.toLowerCase(), a[1]!.toUpperCase()]) out.add(x + y);
  }
  return [...out];
}

/** Keyed secrets are reported with this detector id and kind. */
export const KEYED_KIND: Record<string, string> = {
  strong: 'SECRET',
  weak: 'SECRET',
  auth: 'AUTH',
  cookie: 'SESSION',
};
