/** The stable fingerprint of a template: documented, versioned, golden-tested. */
import { portableHash, type HashFunctions } from '../hash/sha256.ts';

/** Version tag inside every fingerprint's hashed input. */
export const FINGERPRINT_VERSION = 'slo-scout/fingerprint/v1';

const TYPED = /<[A-Z][A-Z0-9_]*>|<\*>/g;

/**
 * Normalises a template: every variable (`<NUM>`, `<IP>`, ..., `<*>`) becomes `<*>`, runs of
 * whitespace become one space, and the ends are trimmed.
 */
export function normalizeTemplate(template: string): string {
  return template.replace(TYPED, '<*>').replace(/\s+/g, ' ').trim();
}

/**
 * SHA-256 fingerprint of (service, template), lower-case hex. The hashed bytes are the UTF-8 of
 * `JSON.stringify(["slo-scout/fingerprint/v1", service, normalizeTemplate(template)])`.
 * @example toFingerprint('checkout', 'took <NUM> ms') === toFingerprint('checkout', 'took <*>  ms')
 */
export function toFingerprint(
  service: string,
  template: string,
  hash: HashFunctions = portableHash,
): string {
  return hash.sha256(JSON.stringify([FINGERPRINT_VERSION, service, normalizeTemplate(template)]));
}
