/** Blob key validation shared by the blob stores. */
import { StoreError } from '../errors.ts';

/** Returns the key when it is safe (relative, `/`-separated, no empty or dot segments); else throws. */
export function checkBlobKey(key: string): string {
  const segments = key.split('/');
  if (
    key.length === 0 ||
    key.length > 1024 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))
  ) {
    throw new StoreError(
      'INVALID_INPUT',
      `blob key "${key}" must be relative with non-empty segments and no "." or ".."`,
      { path: 'key' },
    );
  }
  return key;
}
