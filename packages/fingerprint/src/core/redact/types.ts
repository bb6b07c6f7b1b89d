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
}
