/**
 * Word masking: turns each whitespace-separated word into a template word where variable parts
 * become typed placeholders (`<NUM>`, `<IP>`, ...). One rule set for every source: a part is a
 * variable when it carries a digit, is a path or URL, or is a redactor placeholder (`<EMAIL>`,
 * `<EMAIL:3f9a1c>`), which keeps its kind (`<EMAIL>`) in the template. Words without digits, `/`,
 * `<` or `://` take a fast path and are returned as they are.
 */

/** Typed variable kinds a template can hold. */
export type VariableType =
  'NUM' | 'HEX' | 'IP' | 'UUID' | 'PATH' | 'URL' | 'DURATION' | 'SIZE' | 'ID' | 'TIME' | '*';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IPV4 = /^\/?\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const NUM = /^[-+<>~]?\d+(?:[.,]\d+)*$/;
const HEX = /^(?:0x)?[0-9a-f]+$/i;
const DURATION = /^[-+]?\d+(?:\.\d+)?(?:ns|us|µs|ms|s|sec|secs|m|min|mins|h|hr|hrs|d)$/i;
const SIZE = /^[-+]?\d+(?:\.\d+)?(?:b|kb|mb|gb|tb|kib|mib|gib|tib|bytes)$/i;
const TIME = /^\d{1,4}[-/:]\d{1,2}[-/:]\d{1,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$/;
const NAME_DOT_NUMBER = /^((?:[A-Za-z][A-Za-z_-]*\.)+)\d+$/;
const NAME_WITH_DIGIT = /^[A-Za-z]{2,}\d$/;
const CLOCK = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$/;
const UNIT_WORD = /^(?:b|kb|mb|gb|tb|kib|mib|gib|tib|ns|us|ms|sec|secs)$/i;
const REDACTED = /^<([A-Z][A-Z0-9_]*)(?::[0-9a-f]+)?>$/;

/**
 * Classifies a variable part. A redactor placeholder (`<EMAIL>`, `<EMAIL:3f9a1c>`) keeps its kind,
 * so the result is a {@link VariableType} or a redactor kind such as `EMAIL`.
 */
export function classify(part: string): VariableType | (string & {}) {
  const redacted = REDACTED.exec(part);
  if (redacted !== null) return redacted[1]!;
  if (part.includes('://')) return 'URL';
  if (isHostName(part)) return 'HOST';
  if (IPV4.test(part)) return 'IP';
  if (NUM.test(part)) return 'NUM';
  if (UUID.test(part)) return 'UUID';
  if (DURATION.test(part)) return 'DURATION';
  if (SIZE.test(part)) return 'SIZE';
  if (TIME.test(part)) return 'TIME';
  if (part.charCodeAt(0) === 47 || /^[A-Za-z]:\\/.test(part)) return 'PATH';
  if (HEX.test(part) && /[a-f]/i.test(part) && part.length >= 4) return 'HEX';
  return 'ID';
}

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** True when a word needs masking at all (the fast path skips the rest). */
export function needsMask(word: string): boolean {
  return (
    hasDigit(word) ||
    word.charCodeAt(0) === 47 ||
    word.includes('://') ||
    word.charCodeAt(0) === 60 ||
    (word.indexOf('.') !== word.lastIndexOf('.') && HOST_SHAPE.test(word))
  );
}

const HOST_SHAPE = /[a-z0-9-]+\.[a-z0-9-]+\.[a-z]{2,}/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.){2,}([a-z]{2,})$/;
const GENERIC_TLD = new Set(['com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'io']);
const SECOND_LEVEL = new Set(['com', 'net', 'org', 'edu', 'gov', 'ac', 'co']);

/**
 * A DNS host name with at least three labels, all lower case, under a generic top-level domain
 * (`www.example.com`) or a country code below a generic second level (`proxy.cse.cuhk.edu.hk`).
 * Dotted code names (`mapred.task.id`, `org.apache.Foo`) are not hosts.
 */
export function isHostName(part: string): boolean {
  const m = HOST.exec(part);
  if (m === null) return false;
  const tld = m[1]!;
  if (GENERIC_TLD.has(tld)) return true;
  if (tld.length !== 2) return false;
  const labels = part.split('.');
  return SECOND_LEVEL.has(labels[labels.length - 2]!);
}

// Delimiters that split a word into parts: : = , ( ) [ ] { } " ' ; # /
function isDelimiter(c: number): boolean {
  return (
    c === 35 ||
    c === 47 ||
    c === 58 ||
    c === 61 ||
    c === 44 ||
    c === 40 ||
    c === 41 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 34 ||
    c === 39 ||
    c === 59
  );
}

const ANNOTATION_ONE = /^\([<>~]?\d+(?:[.,]\d+)*[A-Za-z]{1,5}\)$/;
const ANNOTATION_OPEN = /^\([<>~]?\d+(?:[.,]\d+)*$/;

/**
 * Length in words (1 or 2, else 0) of a parenthesised size or duration at `first`, such as
 * `(1.16 KB)` or `(18KB)`: it restates a neighbouring number in another unit, so the miner leaves
 * it out of the template and messages with and without it share one.
 */
export function annotationWords(first: string, second: string | undefined): number {
  if (first.charCodeAt(0) !== 40) return 0;
  if (ANNOTATION_ONE.test(first))
    return isUnitWord(first.slice(first.search(/[A-Za-z]/), -1)) ? 1 : 0;
  if (second === undefined || !ANNOTATION_OPEN.test(first) || !second.endsWith(')')) return 0;
  return isUnitWord(second.slice(0, -1)) ? 2 : 0;
}

/** True for a word that is a unit following a number (`5.2 KB`, `12 ms`). */
export function isUnitWord(word: string): boolean {
  return UNIT_WORD.test(word);
}

/** Output of masking: template words and, per variable, its span in the message. */
export interface MaskOutput {
  /** The message being masked. */
  message: string;
  words: string[];
  /** Flat start/end pairs (message offsets), one pair per variable, in order. */
  spans: number[];
}

/**
 * Masks the word `out.message.slice(from, to)`. Appends the template word to `out.words` and each
 * variable's span to `out.spans`; returns the number of variables found.
 */
export function maskWord(out: MaskOutput, from: number, to: number): number {
  const word = out.message.slice(from, to);
  if (word.includes('://') || (word.charCodeAt(0) === 47 && word.indexOf('/', 1) > 0)) {
    // URLs and multi-segment paths are one variable, trailing punctuation kept
    const m = /[.,;:)\]}'"]+$/.exec(word);
    const core = m === null ? word : word.slice(0, m.index);
    if (core.length > 0) {
      // a URL keeps its scheme: `hdfs://<URL>`
      const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(core)?.[0] ?? '';
      const kind = classify(core);
      out.words.push(`${scheme}<${kind}>${m === null ? '' : m[0]}`);
      out.spans.push(from + scheme.length, from + core.length);
      return 1;
    }
  }
  const clock = /[.,;)\]]*$/.exec(word)!;
  if (CLOCK.test(word.slice(0, clock.index))) {
    // `00:01`, `12:30:45.1`: one time, not two numbers around a colon
    out.words.push(`<TIME>${clock[0]}`);
    out.spans.push(from, from + clock.index);
    return 1;
  }
  let template = '';
  let vars = 0;
  let i = 0;
  const n = word.length;
  while (i < n) {
    const c = word.charCodeAt(i);
    // a leading `/` belongs to what follows (`/10.0.0.1`), an inner one separates (`host/ip`)
    if (isDelimiter(c) && (c !== 47 || i > 0)) {
      template += String.fromCharCode(c);
      i++;
      continue;
    }
    let j = i;
    if (c === 60) {
      // a redaction placeholder `<KIND>` or `<KIND:abc123>` is one part
      const close = word.indexOf('>', i);
      if (close > 0 && REDACTED.test(word.slice(i, close + 1))) j = close + 1;
    }
    if (j === i) {
      j++;
      while (j < n && !isDelimiter(word.charCodeAt(j))) j++;
    }
    // keep sentence punctuation after a number: `1256521728.` -> `<NUM>.`
    let e = j;
    while (e - i > 1) {
      const t = word.charCodeAt(e - 1);
      if (t !== 46 && t !== 33 && t !== 63) break;
      e--;
    }
    const part = word.slice(i, e);
    const tail = word.slice(e, j);
    // `ssh2`, `md5`, `utf8`: a name with a version digit is a word, not a value
    const named = NAME_DOT_NUMBER.exec(part);
    if (named !== null) {
      // `core.2275`: a name with a numeric suffix keeps the name
      template += `${named[1]}<NUM>${tail}`;
      out.spans.push(from + i + named[1]!.length, from + e);
      vars++;
    } else if (
      (hasDigit(part) && !NAME_WITH_DIGIT.test(part)) ||
      REDACTED.test(part) ||
      isHostName(part)
    ) {
      template += `<${classify(part)}>${tail}`;
      out.spans.push(from + i, from + e);
      vars++;
    } else {
      template += part + tail;
    }
    i = j;
  }
  out.words.push(template);
  return vars;
}
