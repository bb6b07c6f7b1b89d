import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';

/** Validates dashboards against a Grafana dashboard JSON schema. */
export interface DashboardValidator {
  /** The dashboard as is, or a `VALIDATION_FAILED` error listing every schema violation. */
  validate<T>(dashboard: T): Result<T>;
}

/** Options of {@link createDashboardValidator}. */
export interface DashboardValidatorOptions {
  /** The parsed dashboard JSON schema (draft-07), e.g. grafana-foundation-sdk's `dashboard.jsonschema.json`. */
  readonly schema: object;
}

function describe(errors: readonly ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

/**
 * Compiles the schema once (throws `INVALID_OPTIONS` if it does not compile); `validate` never throws.
 * @example
 * const v = createDashboardValidator({ schema: JSON.parse(readFileSync(path, 'utf8')) });
 * const r = v.validate(generateDashboard(spec));
 */
export function createDashboardValidator(options: DashboardValidatorOptions): DashboardValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  let check: ReturnType<Ajv['compile']>;
  try {
    check = ajv.compile(options.schema);
  } catch (e) {
    throw new ArtifactsError(
      'INVALID_OPTIONS',
      `the dashboard schema does not compile: ${String(e)}`,
      { cause: e },
    );
  }
  return {
    validate<T>(dashboard: T): Result<T> {
      // Validate what Grafana will read: the JSON text, not the in-memory object.
      const json: unknown = JSON.parse(JSON.stringify(dashboard));
      if (check(json)) return ok(dashboard);
      const errors = check.errors ?? [];
      return err(
        new ArtifactsError(
          'VALIDATION_FAILED',
          `dashboard does not match the schema: ${describe(errors)}`,
          {
            cause: errors,
          },
        ),
      );
    },
  };
}
