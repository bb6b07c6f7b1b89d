import { parseAllDocuments } from 'yaml';
import { SLO_SPEC_API_VERSION, type SloAlerting, type SloSpec } from '@slo-scout/schema';
import type { Result } from '../../errors.ts';
import { finish, isObj, need, str, strMap, type ImportedSpecs, type Obj } from './common.ts';

const UNIT = { Second: 's', Minute: 'm', Hour: 'h', Day: 'd', Week: 'w' } as const;

function query(metric: unknown, path: string): string {
  need(isObj(metric), path, 'must be an object');
  if (typeof metric['query'] === 'string') return metric['query']; // v1alpha
  const source = metric['metricSource'];
  need(isObj(source), `${path}.metricSource`, 'must be an object');
  const spec = source['spec'];
  need(isObj(spec), `${path}.metricSource.spec`, 'must be an object');
  return str(spec, 'query', `${path}.metricSource.spec`);
}

type Ratio = { bad: string; total: string } | { good: string; total: string };

function ratio(rm: unknown, path: string): Ratio {
  need(isObj(rm), path, 'must be an object (only ratio SLIs are supported)');
  const total = query(rm['total'], `${path}.total`);
  if (rm['bad'] !== undefined) return { bad: query(rm['bad'], `${path}.bad`), total };
  return { good: query(rm['good'], `${path}.good`), total };
}

function period(spec: Obj): string {
  const tw = spec['timeWindow'] ?? spec['timeWindows'];
  if (tw === undefined) return '30d';
  const w: unknown = Array.isArray(tw) ? tw[0] : tw;
  need(isObj(w), 'spec.timeWindow', 'must be an object');
  if (typeof w['duration'] === 'string') return w['duration'];
  const unit = w['unit'];
  need(
    typeof w['count'] === 'number' && typeof unit === 'string' && unit in UNIT,
    'spec.timeWindow',
    'needs duration, or count and unit',
  );
  return `${w['count']}${UNIT[unit as keyof typeof UNIT]}`;
}

function byKind(docs: readonly Obj[], kind: string): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const d of docs) {
    const md = d['metadata'];
    if (d['kind'] === kind && isObj(md) && typeof md['name'] === 'string') m.set(md['name'], d);
  }
  return m;
}

function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function severities(policy: Obj, conditions: Map<string, Obj>): Set<string> {
  const out = new Set<string>();
  const spec = isObj(policy['spec']) ? policy['spec'] : {};
  const list = Array.isArray(spec['conditions']) ? (spec['conditions'] as unknown[]) : [];
  for (const c of list) {
    if (!isObj(c)) continue;
    const cond = typeof c['conditionRef'] === 'string' ? conditions.get(c['conditionRef']) : c;
    const cs = cond !== undefined && isObj(cond['spec']) ? cond['spec'] : undefined;
    if (cs !== undefined && typeof cs['severity'] === 'string')
      out.add(cs['severity'].toLowerCase());
  }
  return out;
}

function alerting(spec: Obj, docs: readonly Obj[]): SloAlerting {
  const refs = Array.isArray(spec['alertPolicies']) ? (spec['alertPolicies'] as unknown[]) : [];
  const policies = byKind(docs, 'AlertPolicy');
  const conditions = byKind(docs, 'AlertCondition');
  const found: Obj[] = [];
  for (const r of refs) {
    if (typeof r === 'string') {
      const p = policies.get(r);
      need(p !== undefined, 'spec.alertPolicies', `references unknown AlertPolicy '${r}'`);
      found.push(p);
    } else if (isObj(r) && typeof r['alertPolicyRef'] === 'string') {
      const p = policies.get(r['alertPolicyRef']);
      need(
        p !== undefined,
        'spec.alertPolicies',
        `references unknown AlertPolicy '${r['alertPolicyRef']}'`,
      );
      found.push(p);
    } else if (isObj(r)) found.push(r);
  }
  // No policy: no alerts (Sloth's OpenSLO behaviour).
  if (found.length === 0) return { pageDisabled: true, ticketDisabled: true };
  const first = found[0]!;
  const md = isObj(first['metadata']) ? first['metadata'] : {};
  const sev = new Set(found.flatMap((p) => [...severities(p, conditions)]));
  const page = sev.size === 0 || sev.has('page') || sev.has('critical') || sev.has('high');
  const ticket =
    sev.size === 0 ||
    sev.has('ticket') ||
    sev.has('warning') ||
    sev.has('low') ||
    sev.has('medium');
  const labels = strMap(md['labels'], 'AlertPolicy.metadata.labels');
  return {
    ...(typeof md['name'] === 'string' ? { name: pascal(md['name']) } : {}),
    ...(labels === undefined ? {} : { labels }),
    ...(page ? {} : { pageDisabled: true }),
    ...(ticket ? {} : { ticketDisabled: true }),
  };
}

function toSpecs(slo: Obj, docs: readonly Obj[], version: string): SloSpec[] {
  const md = slo['metadata'];
  need(isObj(md), 'metadata', 'must be an object');
  const name = str(md, 'name', 'metadata');
  const spec = slo['spec'];
  need(isObj(spec), 'spec', 'must be an object');
  const service = str(spec, 'service', 'spec');
  const objectives = spec['objectives'];
  need(
    Array.isArray(objectives) && objectives.length > 0,
    'spec.objectives',
    'must be a non-empty list',
  );
  let sliRatio: Ratio | undefined;
  let sliName = name;
  if (version === 'openslo/v1') {
    let ind: unknown = spec['indicator'];
    if (ind === undefined && typeof spec['indicatorRef'] === 'string') {
      ind = byKind(docs, 'SLI').get(spec['indicatorRef']);
      need(
        ind !== undefined,
        'spec.indicatorRef',
        `references unknown SLI '${spec['indicatorRef']}'`,
      );
    }
    need(
      isObj(ind) && isObj(ind['spec']),
      'spec.indicator',
      'must be an inline SLI or an indicatorRef',
    );
    if (isObj(ind['metadata']) && typeof ind['metadata']['name'] === 'string')
      sliName = ind['metadata']['name'];
    sliRatio = ratio(ind['spec']['ratioMetric'], 'spec.indicator.spec.ratioMetric');
  }
  const labels = strMap(md['labels'], 'metadata.labels');
  const description = spec['description'];
  const al =
    version === 'openslo/v1' ? alerting(spec, docs) : { pageDisabled: true, ticketDisabled: true };
  return objectives.map((o: unknown, i): SloSpec => {
    const p = `spec.objectives[${i}]`;
    need(isObj(o), p, 'must be an object');
    const r = sliRatio ?? ratio(o['ratioMetrics'], `${p}.ratioMetrics`);
    const target = typeof o['target'] === 'number' ? o['target'] : Number(o['targetPercent']) / 100;
    // Sloth names each objective `<name>-<index>`; we keep that so ids line up.
    const sloName = `${name}-${i}`;
    const displayName = typeof o['displayName'] === 'string' ? o['displayName'] : md['displayName'];
    return {
      apiVersion: SLO_SPEC_API_VERSION,
      kind: 'SLO',
      metadata: {
        name: sloName,
        ...(typeof displayName === 'string' ? { displayName } : {}),
        ...(labels === undefined ? {} : { labels }),
      },
      spec: {
        service,
        ...(typeof description === 'string' ? { description } : {}),
        indicator: { name: sliName, kind: 'availability', ratio: r },
        timeWindow: { duration: period(spec), isRolling: true },
        budgetingMethod: 'Occurrences',
        objectives: [{ target }],
        alerting: al,
      },
    };
  });
}

/**
 * Reads OpenSLO YAML (one or more documents) into SloSpecs: `openslo/v1` SLO with an inline or
 * referenced ratio SLI and AlertPolicies, or `openslo/v1alpha` SLO with ratioMetrics (as Sloth reads it).
 * One spec per objective, named `<slo>-<index>`.
 */
export function parseOpenSlo(text: string): Result<ImportedSpecs> {
  return finish(() => {
    const docs = parseAllDocuments(text).map((d) => {
      if (d.errors.length > 0) throw new Error(d.errors[0]!.message);
      return d.toJS() as unknown;
    });
    const objs = docs.filter(isObj);
    const slos = objs.filter((d) => d['kind'] === 'SLO');
    need(slos.length > 0, '(root)', 'holds no document of kind SLO');
    const version = slos[0]!['apiVersion'];
    need(
      version === 'openslo/v1' || version === 'openslo/v1alpha',
      'apiVersion',
      "must be 'openslo/v1' or 'openslo/v1alpha'",
    );
    return {
      specs: slos.flatMap((s) => toSpecs(s, objs, String(s['apiVersion']))),
      specVersion: version,
      mode: 'cli-gen-openslo',
    };
  }, 'OpenSLO');
}
