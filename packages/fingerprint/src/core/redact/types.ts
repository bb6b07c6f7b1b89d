/** Shared types of the redactor. */

/** One sensitive span found in a text; carries no value, only where and what. */
export interface Finding {
  /** Coarse kind used in placeholders, e.g. `EMAIL`, `IP`, `SECRET`. */
  readonly kind: string;
  /** The detector that matched, e.g. `email`, `github-pat`, `keyed-secret`. */
  readonly detector: string;
  /** Start offset in UTF-16 code units (inclusive). */
  readonly start: number;
  /** End offset in UTF-16 code units (exclusive). */
  readonly end: number;
}

/**
 * How sure a detector is: 3 = checksum-backed (Luhn, mod-97, CRC-32), 2 = structural or vendor
 * prefix, 1 = heuristic (context keywords, key names, entropy).
 */
export type Strength = 1 | 2 | 3;

/** A detector the caller adds through options; `pattern` is compiled with the `g` flag. */
export interface CustomDetector {
  /** Detector id reported in findings. */
  readonly id: string;
  /** Kind used in the placeholder, upper-case letters, digits and `_`. */
  readonly kind: string;
  /** What to look for; flags other than `g`/`y` are kept. */
  readonly pattern: RegExp;
  /** Optional extra check on the matched text. */
  readonly validate?: (match: string) => boolean;
  /** Defaults to 2. */
  readonly strength?: Strength;
}

/** Character counts of one whitespace-delimited word, computed once per line by the scanner. */
export interface WordStats {
  /** Word length in UTF-16 code units. */
  length: number;
  digits: number;
  dots: number;
  colons: number;
  dashes: number;
  at: number;
  slashes: number;
  /** True when the word holds `::`. */
  doubleColon: boolean;
}

/** Counts of one run of digits, spaces and `-.()+` (a `numeric` scope span). */
export interface NumericSpanStats {
  digits: number;
  /** Longest run of consecutive digits. */
  maxRun: number;
  /** Digit groups (runs) in the span. */
  groups: number;
  /** Digit groups of exactly 3 digits. */
  threes: number;
  /** Digit groups of exactly 4 digits. */
  fours: number;
  /** Digit groups of exactly 6 digits. */
  sixes: number;
  /** True when the span holds `+`. */
  plus: boolean;
}

/**
 * Where a detector's matches can lie, so the scanner runs it only there: `line` (default) over the
 * whole text; `word` inside one whitespace-delimited word that passes `wordGate` (only words
 * holding `@`, or a digit with two dots, three dashes, five colons or `::`, are offered); `numeric` inside a
 * run of digits, spaces and `-.()+` holding at least `minDigits` digits; `start` sticky at the
 * start of an alphanumeric run whose third character is a digit and that passes `startGate`.
 */
export type DetectorScope = 'line' | 'word' | 'numeric' | 'start';

/**
 * A compiled built-in detector. `gate` lets the scanner skip it cheaply; `check` may veto a
 * match or move its end (returns the accepted end, or -1).
 */
export interface RegexDetector {
  readonly id: string;
  readonly kind: string;
  readonly strength: Strength;
  readonly pattern: RegExp;
  /** Capture group holding the sensitive part (needs the `d` flag); whole match when absent. */
  readonly group?: number;
  /** Minimum digits in the text for this detector to run. */
  readonly minDigits?: number;
  /** Every one of these characters must occur in the text. */
  readonly needs?: string;
  /** Literal prefixes that must start a word; the pattern then runs sticky at that word. */
  readonly prefixes?: readonly string[];
  /** Match prefixes case-insensitively. */
  readonly prefixesIgnoreCase?: boolean;
  /** A literal that must occur in the text. */
  readonly contains?: string;
  readonly check?: (text: string, start: number, end: number) => number;
  /** Where matches can lie; default `line`. */
  readonly scope?: DetectorScope;
  /**
   * For `word` scope: a hand-written matcher equivalent to `pattern` + `check`, called instead of
   * them with the word's bounds; it reports each accepted span through `emit`.
   */
  readonly matchWord?: (
    text: string,
    bounds: { readonly from: number; readonly to: number },
    emit: (start: number, end: number) => void,
  ) => void;
  /** For `word` scope: true when a word can hold a match. */
  readonly wordGate?: (word: WordStats) => boolean;
  /** For `numeric` scope: true when a span can hold a match. */
  readonly spanGate?: (span: NumericSpanStats) => boolean;
  /** For `start` scope: true when a match can start at `at`; for `numeric`, at the span start. */
  readonly startGate?: (text: string, at: number) => boolean;
}
