/** The word rules of the template miner: which words may vary, and how a varying word reads. */
import { annotationWords, isUnitWord } from './mask.ts';

/** A generalised word or word part. */
export const WILD = '<*>';

/**
 * A prose word (plain letters) at one position of a long message becomes a variable only once
 * this many distinct words were seen there: user names vary a lot, `bytes`/`values` do not.
 */
export const PROSE_VALUES = 3;
/** Shortest message in which one prose word may vary. */
export const PROSE_MIN_WORDS = 5;

/** Characters after which a common prefix is kept, and before which a common suffix is. */
const PREFIX_END = '=:./([#@-_';
const SUFFIX_START = ',;:.)]}/-_';

/** True when `word` fits a pattern such as `rhost=<*>` (its fixed prefix and suffix). */
export function fitsPattern(word: string, pattern: string): boolean {
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
export function generalize(other: string, word: string): string {
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
export function hasInnerPunctuation(word: string): boolean {
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
export function isConstantCase(word: string): boolean {
  const last = word.slice(word.lastIndexOf('.', word.length - 2) + 1);
  if (last.length < 3 || !CONSTANT_CASE.test(last)) return false;
  let letters = 0;
  for (let i = 0; i < last.length; i++) {
    const c = last.charCodeAt(i);
    if (c >= 65 && c <= 90) letters++;
  }
  return letters >= 3;
}

/** Names rather than prose: punctuation, digits, variables or inner capitals. */
export function isIdentifierLike(word: string): boolean {
  if (word.includes('<')) return true;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter) return true;
    if (i > 0 && c >= 65 && c <= 90) return true;
  }
  return false;
}

/** End offset of a size/duration annotation starting with word `w` (ending at `j`), else 0. */
export function skipAnnotation(message: string, w: string, j: number): number {
  let k = j;
  while (k < message.length && isSpace(message.charCodeAt(k))) k++;
  let e = k;
  while (e < message.length && !isSpace(message.charCodeAt(e))) e++;
  const count = annotationWords(w, e > k ? message.slice(k, e) : undefined);
  return count === 1 ? j : count === 2 ? e : 0;
}

/** The unit word at the start of `w` when only closing punctuation follows it, else ''. */
export function unitOf(w: string): string {
  let e = w.length;
  while (e > 1 && ',;.)]}'.includes(w[e - 1]!)) e--;
  const unit = e === w.length ? w : w.slice(0, e);
  return isUnitWord(unit) ? unit : '';
}

/** ASCII whitespace. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
