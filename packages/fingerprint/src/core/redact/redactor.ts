/** `createRedactor`: compile once, then redact strings and structured records many times. */
import { FingerprintError } from '../errors.ts';
import { portableHash, type HashFunctions } from '../hash/sha256.ts';
import { piiDetectors } from './pii-detectors.ts';
import { createScanner } from './scanner.ts';
import type { CustomDetector, Finding, RegexDetector } from './types.ts';
import { infixVendorDetectors, vendorDetectors } from './vendor-detectors.ts';
import { classifyKey } from './keyed.ts';

/** How a found value is replaced. */
export type RedactionMode = 'placeholder' | 'pseudonym' | 'mask' | 'remove';

/** Options for {@link createRedactor}. */
export interface RedactorOptions {
  /** `placeholder` (default): `<EMAIL>`; `pseudonym`: `<EMAIL:3f9a1c>`; `mask`: `*****`; `remove`. */
  readonly mode?: RedactionMode;
  /** Key for pseudonyms (HMAC-SHA256); required when `mode` is `pseudonym`. */
  readonly pseudonymKey?: string | Uint8Array;
  /** Hex characters of the HMAC kept in a pseudonym, 4 to 64; default 6. */
  readonly pseudonymLength?: number;
  /** Built-in detector ids or kinds to turn off, e.g. `['PHONE', 'ipv6']`. */
  readonly disable?: readonly string[];
  /** Extra detectors. */
  readonly detectors?: readonly CustomDetector[];
  /** Key/value secret detection (`password=...`, `Authorization: Bearer ...`); default true. */
  readonly keyed?: boolean;
  /**
   * Key paths whose values are censored whole in `redactValue`, pino style: dotted, `*` matches
   * one segment, e.g. `['user.password', 'headers.authorization', '*.token']`.
   */
  readonly paths?: readonly string[];
  /** In `redactValue`, also censor whole values under secret-like key names; default true. */
  readonly censorSecretKeys?: boolean;
  /** Hash functions; defaults to the portable implementation. Pass `nodeHash` for speed. */
  readonly hash?: HashFunctions;
}

/** The result of redacting one string. */
export interface RedactResult {
  /** The redacted text. */
  readonly text: string;
  /** What was found, in the original text's offsets, without values. */
  readonly findings: readonly Finding[];
}

/** A finding inside a structured value, with the path to the string it was found in. */
export interface ValueFinding extends Finding {
  /** Path segments from the root, e.g. `['headers', 'authorization']`. */
  readonly path: readonly (string | number)[];
}

/** The result of redacting a structured value. */
export interface RedactValueResult<T> {
  /** A redacted deep copy; the input is not modified. */
  readonly value: T;
  /** Findings with their paths; whole-value censoring is reported with detector `key-path`. */
  readonly findings: readonly ValueFinding[];
}

/** Counts of findings by kind. */
export type FindingSummary = Readonly<Record<string, number>>;

/** A compiled redactor. */
export interface Redactor {
  /** Redacts one string. Never throws. */
  redact(text: string): RedactResult;
  /** Finds sensitive spans without changing anything (for scanning generated files). */
  find(text: string): readonly Finding[];
  /** True when `text` contains anything sensitive. */
  test(text: string): boolean;
  /** Redacts every string in a JSON-like value and censors sensitive key paths. */
  redactValue<T>(value: T): RedactValueResult<T>;
}

interface WalkContext {
  readonly out: ValueFinding[];
  readonly seen: Set<object>;
}

const KIND_RE = /^[A-Z][A-Z0-9_]*$/;

function compilePath(path: string): readonly string[] {
  const parts = path.split('.');
  if (parts.some((p) => p === '')) {
    throw new FingerprintError('INVALID_OPTIONS', `paths: empty segment in "${path}"`);
  }
  return parts;
}

function validate(options: RedactorOptions): void {
  const mode = options.mode ?? 'placeholder';
  if (!['placeholder', 'pseudonym', 'mask', 'remove'].includes(mode)) {
    throw new FingerprintError('INVALID_OPTIONS', `mode: unknown mode "${mode}"`);
  }
  if (
    mode === 'pseudonym' &&
    (options.pseudonymKey === undefined || options.pseudonymKey.length === 0)
  ) {
    throw new FingerprintError(
      'INVALID_OPTIONS',
      'pseudonymKey is required when mode is "pseudonym"',
    );
  }
  const len = options.pseudonymLength ?? 6;
  if (!Number.isInteger(len) || len < 4 || len > 64) {
    throw new FingerprintError(
      'INVALID_OPTIONS',
      'pseudonymLength must be an integer from 4 to 64',
    );
  }
  for (const d of options.detectors ?? []) {
    if (!KIND_RE.test(d.kind)) {
      throw new FingerprintError(
        'INVALID_OPTIONS',
        `detectors: kind "${d.kind}" must match ${KIND_RE.source}`,
      );
    }
    if (!(d.pattern instanceof RegExp) || d.id === '') {
      throw new FingerprintError(
        'INVALID_OPTIONS',
        `detectors: "${d.id}" needs an id and a RegExp`,
      );
    }
    if (new RegExp(d.pattern.source, d.pattern.flags).test('')) {
      throw new FingerprintError(
        'INVALID_OPTIONS',
        `detectors: "${d.id}" matches the empty string`,
      );
    }
  }
}

/** Every built-in detector, for documentation and tests. */
export const builtinDetectors: readonly RegexDetector[] = [
  ...piiDetectors,
  ...vendorDetectors,
  ...infixVendorDetectors,
];

/**
 * Compiles a redactor. Throws `FingerprintError('INVALID_OPTIONS')` on bad options; the
 * returned functions never throw.
 * @example
 * const r = createRedactor();
 * r.redact('login from 10.1.2.3 by bob@example.com').text; // 'login from <IP> by <EMAIL>'
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  validate(options);
  const mode = options.mode ?? 'placeholder';
  const hash = options.hash ?? portableHash;
  const key = options.pseudonymKey ?? '';
  const pseudoLen = options.pseudonymLength ?? 6;
  const disabled = new Set(options.disable ?? []);
  const scanner = createScanner({
    detectors: builtinDetectors.filter((d) => !disabled.has(d.id) && !disabled.has(d.kind)),
    custom: options.detectors ?? [],
    keyed: options.keyed ?? true,
  });
  const paths = (options.paths ?? []).map(compilePath);
  const censorKeys = options.censorSecretKeys ?? true;

  function replacement(kind: string, value: string): string {
    switch (mode) {
      case 'placeholder':
        return `<${kind}>`;
      case 'pseudonym':
        return `<${kind}:${hash.hmacSha256(key, `${kind}\u0000${value}`).slice(0, pseudoLen)}>`;
      case 'mask':
        return '*'.repeat(value.length);
      case 'remove':
        return '';
    }
  }

  function apply(text: string, findings: readonly Finding[]): string {
    let out = '';
    let at = 0;
    for (const f of findings) {
      out += text.slice(at, f.start) + replacement(f.kind, text.slice(f.start, f.end));
      at = f.end;
    }
    return out + text.slice(at);
  }

  function redact(text: string): RedactResult {
    const findings = scanner.find(text);
    return { text: findings.length === 0 ? text : apply(text, findings), findings };
  }

  function pathMatches(path: readonly (string | number)[]): boolean {
    for (const p of paths) {
      if (p.length !== path.length) continue;
      let ok = true;
      for (let i = 0; i < p.length && ok; i++) {
        ok = p[i] === '*' || p[i] === String(path[i]);
      }
      if (ok) return true;
    }
    return false;
  }

  function walk(value: unknown, path: (string | number)[], ctx: WalkContext): unknown {
    const { out, seen } = ctx;
    const last = path[path.length - 1];
    const censored =
      path.length > 0 &&
      (pathMatches(path) ||
        (censorKeys && typeof last === 'string' && classifyKey(last) === 'strong'));
    if (censored && value !== null && value !== undefined && typeof value !== 'object') {
      const text =
        typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
            ? value.toString()
            : '';
      out.push({
        kind: 'SECRET',
        detector: 'key-path',
        start: 0,
        end: text.length,
        path: [...path],
      });
      return replacement('SECRET', text);
    }
    if (typeof value === 'string') {
      const r = redact(value);
      for (const f of r.findings) out.push({ ...f, path: [...path] });
      return r.text;
    }
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    let result: unknown;
    if (Array.isArray(value)) {
      result = value.map((v, i) => walk(v, [...path, i], ctx));
    } else {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) copy[k] = walk(v, [...path, k], ctx);
      result = copy;
    }
    seen.delete(value);
    return result;
  }

  return {
    redact,
    find: (text) => scanner.find(text),
    test: (text) => scanner.find(text).length > 0,
    redactValue<T>(value: T): RedactValueResult<T> {
      const findings: ValueFinding[] = [];
      const redacted = walk(value, [], { out: findings, seen: new Set() }) as T;
      return { value: redacted, findings };
    },
  };
}

/** Counts findings by kind. */
export function summarizeFindings(findings: readonly Finding[]): FindingSummary {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}
