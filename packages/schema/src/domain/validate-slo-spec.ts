import { SchemaError, err, ok, type Result } from '../errors.ts';
import { isDuration } from './duration.ts';
import { SLO_SPEC_API_VERSION, type SloSpec } from './slo-spec.ts';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SLI_KINDS = ['availability', 'latency', 'rum', 'errors'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function need(cond: boolean, path: string, message: string): asserts cond {
  if (!cond) throw new Problem(path, message);
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  need(typeof v === 'string' && v.length > 0, `${path}.${key}`, 'must be a non-empty string');
  return v;
}

function optStrMap(o: Obj, key: string, path: string): void {
  const v = o[key];
  if (v === undefined) return;
  need(isObj(v), `${path}.${key}`, 'must be a map of strings');
  for (const [k, x] of Object.entries(v)) {
    need(typeof x === 'string', `${path}.${key}.${k}`, 'must be a string');
  }
}

function checkRatio(ratio: unknown, path: string): void {
  need(isObj(ratio), path, 'must be an object with total and one of good or bad');
  str(ratio, 'total', path);
  const hasGood = ratio['good'] !== undefined;
  const hasBad = ratio['bad'] !== undefined;
  need(hasGood !== hasBad, path, 'must set exactly one of good and bad');
  str(ratio, hasGood ? 'good' : 'bad', path);
}

function checkSpec(input: unknown): void {
  need(isObj(input), '(root)', 'must be an object');
  need(
    input['apiVersion'] === SLO_SPEC_API_VERSION,
    'apiVersion',
    `must be '${SLO_SPEC_API_VERSION}'`,
  );
  need(input['kind'] === 'SLO', 'kind', "must be 'SLO'");
  const md = input['metadata'];
  need(isObj(md), 'metadata', 'must be an object');
  const name = str(md, 'name', 'metadata');
  need(
    NAME.test(name) && name.length <= 63,
    'metadata.name',
    'must be a DNS-1123 label (a-z, 0-9, -)',
  );
  optStrMap(md, 'labels', 'metadata');
  optStrMap(md, 'annotations', 'metadata');
  const spec = input['spec'];
  need(isObj(spec), 'spec', 'must be an object');
  str(spec, 'service', 'spec');
  const ind = spec['indicator'];
  need(isObj(ind), 'spec.indicator', 'must be an object');
  str(ind, 'name', 'spec.indicator');
  need(
    SLI_KINDS.includes(ind['kind'] as string),
    'spec.indicator.kind',
    `must be one of ${SLI_KINDS.join(', ')}`,
  );
  checkRatio(ind['ratio'], 'spec.indicator.ratio');
  const th = ind['thresholdSeconds'];
  need(
    th === undefined || (typeof th === 'number' && th > 0),
    'spec.indicator.thresholdSeconds',
    'must be a positive number',
  );
  const tw = spec['timeWindow'];
  need(isObj(tw), 'spec.timeWindow', 'must be an object');
  need(
    typeof tw['duration'] === 'string' && isDuration(tw['duration']),
    'spec.timeWindow.duration',
    'must be a duration like 30d',
  );
  need(
    tw['isRolling'] === true,
    'spec.timeWindow.isRolling',
    'must be true (calendar windows are not supported)',
  );
  need(spec['budgetingMethod'] === 'Occurrences', 'spec.budgetingMethod', "must be 'Occurrences'");
  const objectives = spec['objectives'];
  need(
    Array.isArray(objectives) && objectives.length > 0,
    'spec.objectives',
    'must be a non-empty array',
  );
  objectives.forEach((o: unknown, i) => {
    const p = `spec.objectives[${i}]`;
    need(isObj(o), p, 'must be an object');
    const t = o['target'];
    need(
      typeof t === 'number' && t > 0 && t < 1,
      `${p}.target`,
      'must be a number between 0 and 1 (exclusive), e.g. 0.999',
    );
  });
  const al = spec['alerting'];
  if (al !== undefined) {
    need(isObj(al), 'spec.alerting', 'must be an object');
    for (const k of ['labels', 'annotations', 'pageLabels', 'ticketLabels'])
      optStrMap(al, k, 'spec.alerting');
    const me = al['minEvents'];
    need(
      me === undefined || (Number.isInteger(me) && (me as number) >= 0),
      'spec.alerting.minEvents',
      'must be a whole number ≥ 0',
    );
  }
}

/** Validates an unknown value (parsed YAML or JSON) as an {@link SloSpec}; the error names the field. */
export function parseSloSpec(input: unknown): Result<SloSpec> {
  try {
    checkSpec(input);
    return ok(input as SloSpec);
  } catch (e) {
    if (e instanceof Problem) {
      return err(
        new SchemaError('INVALID_SPEC', `SloSpec: '${e.path}' ${e.message}`, { path: e.path }),
      );
    }
    throw e;
  }
}
