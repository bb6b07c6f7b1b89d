import { parseSloSpec, type SloSpec } from '@slo-scout/schema';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';

/** Specs read from a foreign format, with the labels Sloth puts in its info rule. */
export interface ImportedSpecs {
  readonly specs: readonly SloSpec[];
  /** The source format, e.g. `prometheus/v1` or `openslo/v1` (Sloth's `sloth_spec`). */
  readonly specVersion: string;
  /** Sloth's `sloth_mode` for this source, e.g. `cli-gen-prom`. */
  readonly mode: string;
}

/** A parsed YAML/JSON object. */
export type Obj = Record<string, unknown>;

/** True for a plain object. */
export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown inside the parsers and turned into a failed result at their boundary. */
export class ImportProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Asserts a condition of an imported document. */
export function need(cond: boolean, path: string, message: string): asserts cond {
  if (!cond) throw new ImportProblem(path, message);
}

/** Reads a required non-empty string. */
export function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  need(typeof v === 'string' && v.length > 0, `${path}.${key}`, 'must be a non-empty string');
  return v;
}

/** Reads an optional map of strings (numbers and booleans are stringified, as YAML authors expect). */
export function strMap(v: unknown, path: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  need(isObj(v), path, 'must be a map of strings');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    need(
      typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean',
      `${path}.${k}`,
      'must be a string',
    );
    out[k] = String(x);
  }
  return out;
}

/** Validates built specs with `parseSloSpec` and wraps failures as `ArtifactsError` values. */
export function finish(build: () => ImportedSpecs, format: string): Result<ImportedSpecs> {
  try {
    const imported = build();
    for (const spec of imported.specs) {
      const r = parseSloSpec(spec);
      if (!r.ok) {
        return err(
          new ArtifactsError('INVALID_SPEC', `${format}: ${r.error.message}`, {
            ...(r.error.path === undefined ? {} : { path: r.error.path }),
            cause: r.error,
          }),
        );
      }
    }
    return ok(imported);
  } catch (e) {
    if (e instanceof ImportProblem) {
      return err(
        new ArtifactsError('PARSE_FAILED', `${format}: '${e.path}' ${e.message}`, { path: e.path }),
      );
    }
    return err(
      new ArtifactsError(
        'PARSE_FAILED',
        `${format}: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      ),
    );
  }
}

/** Rounds to 12 significant digits, removing binary artefacts such as `0.9990000000000001`. */
export const round12 = (n: number): number => Number(n.toPrecision(12));
