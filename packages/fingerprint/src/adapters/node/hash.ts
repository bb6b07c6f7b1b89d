/** Hash functions backed by `node:crypto` (faster than the portable ones for long inputs). */
import { createHash, createHmac } from 'node:crypto';
import type { HashFunctions } from '../../core/hash/sha256.ts';

/** SHA-256 and HMAC-SHA256 from `node:crypto`, lower-case hex. */
export const nodeHash: HashFunctions = {
  sha256: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  hmacSha256: (key, message) => createHmac('sha256', key).update(message, 'utf8').digest('hex'),
};
