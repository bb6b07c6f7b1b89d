/** Built-in detectors for personal data and network identifiers. */
import type { RegexDetector } from './types.ts';
import { isIban, isPaymentCard, isPlaceholder, isUsSsn } from './validators.ts';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Rejects a numeric match glued to more digits, dots-with-digits or letters on either side. */
function numericBoundary(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  if (isAlnum(before)) return false;
  if (before === 46 && start > 1 && isDigit(text.charCodeAt(start - 2))) return false;
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (isAlnum(after)) return false;
  if (after === 46 && end + 1 < text.length && isDigit(text.charCodeAt(end + 1))) return false;
  return true;
}

function octetsValid(text: string, start: number, end: number): boolean {
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (isDigit(c)) {
      value = value * 10 + (c - 48);
      digits++;
      if (digits > 3 || value > 255) return false;
    } else {
      if (digits === 0) return false;
      value = 0;
      digits = 0;
    }
  }
  return true;
}

/**
 * Finds dotted IPv4 addresses in `text[from, to)` without a regex; the same spans as the `ipv4`
 * pattern with `checkIpv4` (a match must start a digit run and pass the same boundary checks).
 */
function matchIpv4(
  text: string,
  bounds: { readonly from: number; readonly to: number },
  emit: (start: number, end: number) => void,
): void {
  const { from, to } = bounds;
  let i = from;
  while (i < to) {
    if (!isDigit(text.charCodeAt(i)) || (i > from && isDigit(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let p = i;
    let octets = 0;
    for (;;) {
      const s = p;
      while (p < to && p - s < 4 && isDigit(text.charCodeAt(p))) p++;
      if (p === s || p - s > 3) break;
      octets++;
      if (octets === 4 || p >= to || text.charCodeAt(p) !== 46) break;
      p++;
    }
    if (octets === 4 && checkIpv4(text, i, p) === p) {
      emit(i, p);
      i = p;
    } else i++;
  }
}

function checkIpv4(text: string, start: number, end: number): number {
  return numericBoundary(text, start, end) && octetsValid(text, start, end) ? end : -1;
}

function checkIpv6(text: string, start: number, end: number): number {
  const s = text.slice(start, end);
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  if (isAlnum(before) || before === 58) return -1;
  if (!/\d/.test(s)) return -1;
  const [address = ''] = s.split('%');
  const halves = address.split('::');
  if (halves.length > 2) return -1;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  let count = left.length + right.length;
  const last = right.length > 0 ? right[right.length - 1]! : left[left.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!/^\d{1,3}(?:\.\d{1,3}){3}$/.test(last)) return -1;
    count++; // an embedded IPv4 takes two groups
  }
  for (const g of [...left, ...right]) {
    if (g.includes('.')) continue;
    if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return -1;
  }
  if (halves.length === 2) return count <= 7 ? end : -1;
  return count === 8 ? end : -1;
}

function checkCard(text: string, start: number, end: number): number {
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  if (before === 45 || before === 95 || before === 46) return -1; // -123..., _123..., .123...
  if (!numericBoundary(text, start, end)) return -1;
  return isPaymentCard(text.slice(start, end)) ? end : -1;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isIbanStart(text: string, at: number): boolean {
  return (
    isDigit(text.charCodeAt(at + 2)) &&
    isDigit(text.charCodeAt(at + 3)) &&
    isLetter(text.charCodeAt(at)) &&
    isLetter(text.charCodeAt(at + 1))
  );
}

function checkIban(text: string, start: number, end: number): number {
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  if (isAlnum(before)) return -1;
  // Greedy grouping may swallow a following short word: try each group boundary from the end.
  for (let e = end; e > start + 14; e--) {
    const c = text.charCodeAt(e - 1);
    if (c === 32) continue;
    const after = e < text.length ? text.charCodeAt(e) : 32;
    if (isAlnum(after)) continue;
    if (isIban(text.slice(start, e))) return e;
  }
  return -1;
}

function checkSsn(text: string, start: number, end: number): number {
  if (!numericBoundary(text, start, end)) return -1;
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (before === 45 || after === 45) return -1;
  return isUsSsn(text.slice(start, end)) ? end : -1;
}

const PHONE_CONTEXT =
  /\b(?:(?:tele|cell|mobile|smart)?phone|tel|mobile|cell|fax|call(?:ed|ing)?|contact|sms|text(?:ed|s)?|messages?|whatsapp|dial(?:ed)?|numbers?|reach|ring|registered|no|nr)\b[^.;]{0,30}$/i;

const PHONE_WORD = new RegExp(
  PHONE_CONTEXT.source.slice(0, PHONE_CONTEXT.source.indexOf('[^')),
  'i',
);
let lastText = '';
let lastHasWord = false;

/** True when a phone keyword closes the 60 characters before `at` (a numeric span start). */
function hasPhoneContext(text: string, at: number): boolean {
  // most lines hold no phone keyword at all: test that once per text
  if (text !== lastText) {
    lastText = text;
    lastHasWord = PHONE_WORD.test(text);
  }
  return lastHasWord && PHONE_CONTEXT.test(text.slice(Math.max(0, at - 60), at));
}

function checkPhoneIntl(text: string, start: number, end: number): number {
  if (!numericBoundary(text, start, end)) return -1;
  let digits = 0;
  for (let i = start; i < end; i++) if (isDigit(text.charCodeAt(i))) digits++;
  return digits >= 8 && digits <= 15 ? end : -1;
}

function looksLikeDateOrVersion(s: string): boolean {
  return /^(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./]\d\d?$/.test(s) || /^\d+\.\d+\.\d+$/.test(s);
}

function checkPhoneNanp(text: string, start: number, end: number): number {
  if (!numericBoundary(text, start, end)) return -1;
  const s = text.slice(start, end);
  if (looksLikeDateOrVersion(s)) return -1;
  return end;
}

function checkPhoneNational(text: string, start: number, end: number): number {
  if (!numericBoundary(text, start, end)) return -1;
  const s = text.slice(start, end);
  if (looksLikeDateOrVersion(s) || /^\d+\.\d+\.\d+\.\d+$/.test(s)) return -1;
  let digits = 0;
  for (let i = start; i < end; i++) if (isDigit(text.charCodeAt(i))) digits++;
  if (digits < 7 || digits > 13) return -1;
  return hasPhoneContext(text, start) ? end : -1;
}

function checkValueNotPlaceholder(text: string, start: number, end: number): number {
  return isPlaceholder(text.slice(start, end)) ? -1 : end;
}

function checkPrivateKey(text: string, start: number, end: number): number {
  let body = 0;
  const headerEnd = text.indexOf('-----', start + 10) + 5;
  for (let i = headerEnd; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isAlnum(c) || c === 43 || c === 47) body++;
    if (c === 45 && text.startsWith('-----END', i)) break;
  }
  return body >= 64 ? end : -1;
}

const HEX = '[0-9A-Fa-f]';

/** Detectors for personal data, network identifiers and generic credential shapes. */
export const piiDetectors: readonly RegexDetector[] = [
  {
    id: 'email',
    scope: 'word',
    wordGate: (w) => w.at > 0 && w.dots > 0,
    kind: 'EMAIL',
    strength: 2,
    needs: '@.',
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
    // `user:pass@host` inside a URL is a credential, not an address
    check: (text, start, end) => (start > 0 && text.charCodeAt(start - 1) === 58 ? -1 : end),
  },
  {
    id: 'url-credentials',
    scope: 'word',
    wordGate: (w) => w.at > 0 && w.colons > 0 && w.slashes >= 2,
    kind: 'URL_CREDENTIAL',
    strength: 3,
    needs: '@:',
    contains: '://',
    pattern: /[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s:@/?#]+:[^\s@/?#]+)@/dg,
    group: 1,
    check: (text, start, end) => {
      const colon = text.indexOf(':', start);
      return isPlaceholder(text.slice(colon + 1, end)) ? -1 : end;
    },
  },
  {
    id: 'ipv4',
    scope: 'word',
    wordGate: (w) => w.digits >= 4 && w.dots >= 3,
    matchWord: matchIpv4,
    kind: 'IP',
    strength: 2,
    minDigits: 4,
    needs: '.',
    pattern: /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g,
    check: checkIpv4,
  },
  {
    id: 'ipv4-dashed',
    scope: 'word',
    wordGate: (w) => w.digits >= 4 && w.dashes >= 3 && w.dots > 0,
    kind: 'IP',
    strength: 2,
    minDigits: 4,
    needs: '-.',
    pattern: /(?<![\w-])\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?=\.[A-Za-z])/g,
    check: (text, start, end) =>
      octetsValid(text.slice(start, end).replaceAll('-', '.'), 0, end - start) ? end : -1,
  },
  {
    id: 'ipv6',
    scope: 'word',
    wordGate: (w) => w.digits > 0 && w.colons >= 2 && (w.doubleColon || w.colons >= 6),
    kind: 'IP',
    strength: 2,
    needs: ':',
    pattern: new RegExp(
      `(?:${HEX}{1,4}:|::)(?:${HEX}{0,4}:){1,6}(?:${HEX}{1,4}|:|\\d{1,3}(?:\\.\\d{1,3}){3})?(?:%[0-9A-Za-z]+)?(?![\\w:.])`,
      'g',
    ),
    check: checkIpv6,
  },
  {
    id: 'mac',
    scope: 'word',
    wordGate: (w) =>
      w.digits > 0 &&
      w.length >= 14 &&
      (w.colons >= 5 || w.dashes >= 5 || (w.dots === 2 && w.length <= 20)),
    kind: 'MAC',
    strength: 2,
    pattern: new RegExp(
      `(?<![\\w:-])${HEX}{2}([:-])${HEX}{2}(?:\\1${HEX}{2}){4,14}(?![\\w:-])|(?<![\\w.])${HEX}{4}\\.${HEX}{4}\\.${HEX}{4}(?![\\w.])`,
      'g',
    ),
    check: (text, start, end) => (/[0-9]/.test(text.slice(start, end)) ? end : -1),
  },
  {
    id: 'credit-card',
    scope: 'numeric',
    spanGate: (s) => s.maxRun >= 12 || s.fours >= 2 || (s.fours > 0 && s.sixes > 0),
    kind: 'CREDIT_CARD',
    strength: 3,
    minDigits: 12,
    pattern: /\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19}/g,
    check: checkCard,
  },
  {
    id: 'iban',
    scope: 'start',
    startGate: (t, at) => isIbanStart(t, at),
    kind: 'IBAN',
    strength: 3,
    minDigits: 4,
    pattern: /[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?/y,
    check: checkIban,
  },
  {
    id: 'us-ssn',
    scope: 'numeric',
    spanGate: (s) => s.threes > 0 && s.fours > 0,
    kind: 'SSN',
    strength: 2,
    minDigits: 9,
    pattern: /\d{3}([- ])\d{2}\1\d{4}/g,
    check: checkSsn,
  },
  {
    id: 'phone-e164',
    scope: 'numeric',
    spanGate: (s) => s.plus,
    kind: 'PHONE',
    strength: 2,
    minDigits: 8,
    needs: '+',
    pattern: /\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,6}/g,
    check: checkPhoneIntl,
  },
  {
    id: 'phone-nanp',
    scope: 'numeric',
    spanGate: (s) => s.threes >= 2 && s.fours > 0,
    kind: 'PHONE',
    strength: 1,
    minDigits: 10,
    pattern: /(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![-.]\d)/g,
    check: checkPhoneNanp,
  },
  {
    id: 'phone-national',
    scope: 'numeric',
    spanGate: (s) => s.groups >= 2,
    startGate: hasPhoneContext,
    kind: 'PHONE',
    strength: 1,
    minDigits: 7,
    pattern: /(?:\(\d{1,4}\) ?)?\d{2,5}(?:[-. ]\d{2,8}){1,4}(?![-.]?\d)/g,
    check: checkPhoneNational,
  },
  {
    id: 'jwt',
    kind: 'JWT',
    strength: 2,
    prefixes: ['eyJ'],
    pattern: /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/y,
  },
  {
    id: 'auth-scheme',
    kind: 'AUTH',
    strength: 2,
    prefixes: ['Bearer', 'Basic', 'Token', 'Digest', 'Negotiate'],
    prefixesIgnoreCase: true,
    pattern: /(?:bearer|basic|token|digest|negotiate)\s+([A-Za-z0-9._~+/-]{8,}=*)/diy,
    group: 1,
    check: checkValueNotPlaceholder,
  },
  {
    id: 'private-key',
    kind: 'PRIVATE_KEY',
    strength: 2,
    contains: '-----BEGIN',
    needs: '-',
    pattern:
      /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    check: checkPrivateKey,
  },
];
