/** Checksums and plausibility checks used by detectors; all pure and allocation-light. */

/** True when the digits of `text` (other characters ignored) pass the Luhn check. */
export function isLuhnValid(text: string): boolean {
  let sum = 0;
  let double = false;
  let count = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    count++;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return count > 0 && sum % 10 === 0;
}

/** Digits of a string, other characters dropped. */
export function digitsOf(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) out += String.fromCharCode(c);
  }
  return out;
}

/**
 * True when a 12-19 digit number is a payment card: Luhn-valid AND an issuer prefix with a length
 * that issuer uses (Visa, Mastercard incl. 2-series, Amex, Discover, Diners, JCB, UnionPay,
 * Maestro). A 13-digit millisecond timestamp (starts with 1) never matches an issuer.
 */
export function isPaymentCard(text: string): boolean {
  const d = digitsOf(text);
  const n = d.length;
  if (n < 12 || n > 19 || !isLuhnValid(d)) return false;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // Amex
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16; // Discover
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14; // Diners
  if (p2 === 35) return n >= 16; // JCB (3528-3589 assigned; the whole 35 range as issuers print it)
  if (p4 === 2131 || p4 === 1800) return n === 15; // JCB, 15-digit legacy numbers
  if (p2 === 62) return n >= 16; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12; // Maestro
  return false;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** True when `text` (spaces allowed) is an IBAN with a registered length and a valid mod-97. */
export function isIban(text: string): boolean {
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32) s += String.fromCharCode(c);
  }
  s = s.toUpperCase();
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected === undefined || s.length !== expected) return false;
  const r = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

/** True when `text` is `AAA-GG-SSSS` with SSA validity rules (no 000/666/9xx area, no 00, no 0000). */
export function isUsSsn(text: string): boolean {
  const d = digitsOf(text);
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  return d !== '123456789';
}

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const SAMPLE_WORD = /example|your[_-]|redacted|placeholder|changeme|dummy|sample|replace_?me/gi;

/**
 * True when a sample word occurs in one consistent case (`EXAMPLE`, `example`, `Example`); a
 * random token that happens to spell `dUmmY` is not a placeholder.
 */
function hasSampleWord(value: string): boolean {
  SAMPLE_WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SAMPLE_WORD.exec(value)) !== null) {
    const w = m[0];
    const lower = w.toLowerCase();
    if (w === lower || w === w.toUpperCase() || w === w[0]!.toUpperCase() + lower.slice(1)) {
      return true;
    }
  }
  return false;
}

/**
 * True for placeholder-looking values: templating (`${X}`, `{{x}}`, `<key>`, `$VAR`, `%s`),
 * masks (`xxxx`, `****`, `####`), runs of one character, `...` truncation, counting sequences
 * (`123456789`), and sample words (`EXAMPLE`, `YOUR_`, `REDACTED`, `changeme`).
 */
export function isPlaceholder(value: string): boolean {
  if (value.length === 0) return true;
  const first = value.charCodeAt(0);
  // `$VAR`, `${X}`, `$(cmd)`, `{{x}}`, `<x>`, `[x]`, `%s`, `*`
  if (first === 36 || first === 123 || first === 60 || first === 91 || first === 37) return true;
  if (value.includes('..') || value.includes('${') || value.includes('{{')) return true;
  if (/(.)\1{5}/.test(value) || /[*#]{3}/.test(value)) return true;
  // one group repeated: `1234-1234-1234`, `abcabcabc`
  if (/([A-Za-z0-9]{3,})[-_.]?\1[-_.]?\1/.test(value)) return true;
  if (hasSampleWord(value)) return true;
  let ascending = 0;
  for (let i = 1; i < value.length; i++) {
    if (value.charCodeAt(i) === value.charCodeAt(i - 1) + 1) ascending++;
  }
  return value.length >= 8 && ascending / (value.length - 1) > 0.3;
}

/**
 * True for values that look random enough to be a credential: long enough, high Shannon
 * entropy, mixes character classes, and is not a UUID, a plain hex hash, a trace/span id, a
 * version string, a number or a timestamp.
 */
export function isHighEntropySecret(value: string): boolean {
  if (value.length < 12 || isPlaceholder(value)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
  if (/^(?:[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i.test(value)) return false;
  if (/^v?\d+(?:[._-]\d+)+(?:[-+.][0-9A-Za-z.-]+)?$/.test(value)) return false;
  if (/^[\d\s:.TZ+-]+$/.test(value)) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/\d/.test(value)) classes++;
  if (classes < 2) return false;
  return shannonEntropy(value) >= (value.length >= 20 ? 3.5 : 3.0);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3) of an ASCII string. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of a non-negative integer, left-padded with `0` to `width`. */
export function toBase62(value: number, width: number): string {
  let s = '';
  let v = value;
  while (v > 0) {
    s = BASE62[v % 62]! + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/**
 * True when a GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 base62) carries a valid
 * checksum: the last 6 characters are the base62 CRC-32 of the 30 random characters.
 */
export function isGithubTokenChecksumValid(token: string): boolean {
  const body = token.slice(4);
  if (body.length !== 36) return false;
  return toBase62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}
