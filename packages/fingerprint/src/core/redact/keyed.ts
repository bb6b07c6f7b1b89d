/**
 * Key/value credential detection: finds `key=value`, `key: value`, `"key": "value"` and
 * `key := value` pairs whose key names a secret, then judges the value. Works from each separator
 * outwards, so it costs nothing on lines without `=` or `:`.
 */
import { isHighEntropySecret, isPlaceholder } from './validators.ts';

/** What a key name says about its value. */
export type KeyClass = 'strong' | 'weak' | 'auth' | 'cookie' | null;

const STRONG =
  /passw(?:or)?d|passwd|pwd|passphrase|secret|credential|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|session[_-]?(?:id|key|token)|sessid|^sid$|^pass$|^x-api-key$|^(?:php|j|asp\.net_)?sessionid$/i;
const WEAK = /token|key$|^auth$|signature$/i;
const AUTH = /^(?:proxy-)?authorization$/i;
const COOKIE = /^(?:set-)?cookie$/i;

/** Classifies a key name. */
export function classifyKey(key: string): KeyClass {
  if (AUTH.test(key)) return 'auth';
  if (COOKIE.test(key)) return 'cookie';
  if (STRONG.test(key)) return 'strong';
  if (WEAK.test(key)) return 'weak';
  return null;
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 45 ||
    c === 46
  );
}

function isValueEnd(c: number): boolean {
  // whitespace , ; & ) ] } > < " ' `
  return (
    c <= 32 ||
    c === 44 ||
    c === 59 ||
    c === 38 ||
    c === 41 ||
    c === 93 ||
    c === 125 ||
    c === 62 ||
    c === 60 ||
    c === 34 ||
    c === 39 ||
    c === 96
  );
}

const SCHEMES = /^(?:bearer|basic|token|digest|negotiate|apikey|sso-key)$/i;

/** Letter sets of the words a secret-like key must contain (key, pass, pwd, secret, ...). */
const KEY_WORD_LETTERS = [
  'key',
  'pass',
  'pwd',
  'secret',
  'credential',
  'token',
  'sessi',
  'sid',
  'auth',
  'cookie',
  'signature',
].map((w) => {
  let m = 0;
  for (const ch of w) m |= 1 << (ch.charCodeAt(0) - 97);
  return m;
});

/** Cheap necessary condition for `classifyKey` to return a class, from the key's letter set. */
function mayBeSecretKey(letters: number): boolean {
  for (const m of KEY_WORD_LETTERS) if ((letters & m) === m) return true;
  return false;
}

// Key names repeat a lot in logs; classifying one costs four regexes.
const keyCache = new Map<string, KeyClass>();

function classifyKeyCached(key: string): KeyClass {
  let k = keyCache.get(key);
  if (k === undefined) {
    k = classifyKey(key);
    if (keyCache.size >= 4096) keyCache.clear();
    keyCache.set(key, k);
  }
  return k;
}

/** A keyed secret span (value only) with the key's class. */
export interface KeyedHit {
  readonly start: number;
  readonly end: number;
  readonly keyClass: Exclude<KeyClass, null>;
}

function readValue(text: string, from: number): { start: number; end: number } {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) {
    const close = text.indexOf(text[i]!, i + 1);
    const end = close < 0 ? Math.min(text.length, i + 257) : close;
    return { start: i + 1, end };
  }
  let e = i;
  while (e < text.length && !isValueEnd(text.charCodeAt(e))) e++;
  return { start: i, end: e };
}

/** Finds keyed secrets in `text`, calling `emit` for each value span. */
export function findKeyedSecrets(text: string, emit: (hit: KeyedHit) => void): void {
  let sep = -1;
  let eq = -2;
  let colon = -2;
  for (;;) {
    // next '=' and ':' are tracked apart, so a line is scanned once for each
    if (eq !== -1 && eq <= sep) eq = text.indexOf('=', sep + 1);
    if (colon !== -1 && colon <= sep) colon = text.indexOf(':', sep + 1);
    sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    if (sep < 0) return;
    let valueFrom = sep + 1;
    const sc = text.charCodeAt(sep);
    if (sc === 58 && text.charCodeAt(sep + 1) === 61)
      valueFrom = sep + 2; // :=
    else if (sc === 61 && text.charCodeAt(sep + 1) === 62)
      valueFrom = sep + 2; // =>
    else if (sc === 58 && text.charCodeAt(sep + 1) === 47 && text.charCodeAt(sep + 2) === 47) {
      continue; // scheme://
    } else if (sc === 61 && text.charCodeAt(sep + 1) === 61) {
      sep++;
      continue; // ==
    }
    // key: back over spaces and one closing quote, then key characters
    let k = sep - 1;
    while (k >= 0 && text.charCodeAt(k) === 32) k--;
    const kq = text.charCodeAt(k);
    if (kq === 34 || kq === 39) k--;
    const keyEnd = k + 1;
    let letters = 0;
    for (; k >= 0; k--) {
      const c = text.charCodeAt(k);
      if (!isKeyChar(c)) break;
      const l = (c | 32) - 97;
      if (l >= 0 && l < 26) letters |= 1 << l;
    }
    const keyStart = k + 1;
    if (keyEnd - keyStart < 2 || keyEnd - keyStart > 64) continue;
    if (keyStart > 0 && text.charCodeAt(keyStart - 1) === 60) continue; // our own <KIND:xx>
    if (!mayBeSecretKey(letters)) continue; // `18:01:47`, `INFO:`, `rhost=`
    const keyClass = classifyKeyCached(text.slice(keyStart, keyEnd));
    if (keyClass === null) continue;
    if (keyClass === 'cookie') {
      const v = readValue(text, valueFrom);
      let end = v.start;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === 10 || c === 13 || c === 34 || c === 39) break;
        end++;
      }
      if (end > v.start && !isPlaceholder(text.slice(v.start, end))) {
        emit({ start: v.start, end, keyClass });
      }
      continue;
    }
    let v = readValue(text, valueFrom);
    if (keyClass === 'auth' && SCHEMES.test(text.slice(v.start, v.end))) {
      v = readValue(text, v.end);
    }
    if (v.end <= v.start) continue;
    const value = text.slice(v.start, v.end);
    if (isPlaceholder(value)) continue;
    if (keyClass === 'weak' && !isHighEntropySecret(value)) continue;
    if (keyClass === 'auth' && value.length < 8) continue;
    emit({ start: v.start, end: v.end, keyClass });
  }
}
