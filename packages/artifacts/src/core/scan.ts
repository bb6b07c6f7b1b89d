import { createRedactor } from '@slo-scout/fingerprint';
import { ArtifactsError, err, ok, type Result } from '../errors.ts';
import type { ArtifactFile } from './runbooks/generate-runbooks.ts';

/** One sensitive span: what kind, and where (UTF-16 offsets, end exclusive). */
export interface SensitiveFinding {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** Finds sensitive data in text; `@slo-scout/fingerprint`'s redactor fits (`find`). */
export interface SensitiveScanner {
  scan(text: string): readonly SensitiveFinding[];
}

/** A finding located in a file: path, line and kind, never the sensitive value itself. */
export interface LocatedFinding {
  readonly path: string;
  readonly line: number;
  readonly kind: string;
}

/** Adapts anything with `find(text)` (the fingerprint redactor) to a {@link SensitiveScanner}. */
export function toSensitiveScanner(redactor: {
  find(text: string): readonly SensitiveFinding[];
}): SensitiveScanner {
  return { scan: (text) => redactor.find(text) };
}

let compiled: SensitiveScanner | undefined;

/**
 * The default scanner: `@slo-scout/fingerprint`'s redactor with its built-in PII and secret
 * detectors, compiled on first use and shared afterwards (it holds no per-call state).
 */
export function defaultSensitiveScanner(): SensitiveScanner {
  compiled ??= toSensitiveScanner(createRedactor());
  return compiled;
}

/** Every finding in every file, with its line number; scans with the fingerprint redactor by default. */
export function findSensitive(
  files: readonly ArtifactFile[],
  scanner: SensitiveScanner = defaultSensitiveScanner(),
): readonly LocatedFinding[] {
  const out: LocatedFinding[] = [];
  for (const f of files) {
    for (const x of scanner.scan(f.content)) {
      const line = f.content.slice(0, x.start).split('\n').length;
      out.push({ path: f.path, line, kind: x.kind });
    }
  }
  return out;
}

/**
 * Passes the files through, or blocks them with `SENSITIVE_CONTENT` listing every finding; scans
 * with the fingerprint redactor unless another scanner is given.
 */
export function scanArtifacts(
  files: readonly ArtifactFile[],
  scanner: SensitiveScanner = defaultSensitiveScanner(),
): Result<readonly ArtifactFile[]> {
  const found = findSensitive(files, scanner);
  if (found.length === 0) return ok(files);
  const list = found.map((f) => `${f.path}:${f.line} ${f.kind}`).join(', ');
  return err(
    new ArtifactsError('SENSITIVE_CONTENT', `sensitive data in artifacts: ${list}`, {
      cause: found,
    }),
  );
}
