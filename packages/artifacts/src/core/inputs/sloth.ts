import { parse } from 'yaml';
import { SLO_SPEC_API_VERSION, type SloAlerting, type SloSpec } from '@slo-scout/schema';
import type { Result } from '../../errors.ts';
import {
  finish,
  isObj,
  need,
  round12,
  str,
  strMap,
  type ImportedSpecs,
  type Obj,
} from './common.ts';

/** Options of {@link parseSlothSpec}. */
export interface SlothImportOptions {
  /** SLO period when the file does not say; Sloth's default is `30d`. */
  readonly defaultPeriod?: string;
}

function tierLabels(
  alerting: Obj,
  key: string,
  path: string,
): { labels?: Record<string, string>; disabled: boolean } {
  const t = alerting[key];
  if (t === undefined || t === null) return { disabled: false };
  need(isObj(t), `${path}.${key}`, 'must be an object');
  const labels = strMap(t['labels'], `${path}.${key}.labels`);
  return { ...(labels === undefined ? {} : { labels }), disabled: t['disable'] === true };
}

function toSpec(
  doc: Obj,
  slo: unknown,
  at: { readonly i: number; readonly period: string },
): SloSpec {
  const { i, period } = at;
  const path = `slos[${i}]`;
  need(isObj(slo), path, 'must be an object');
  const service = str(doc, 'service', '(root)');
  const name = str(slo, 'name', path);
  const objective = slo['objective'];
  need(
    typeof objective === 'number' && objective > 0 && objective < 100,
    `${path}.objective`,
    'must be a percentage between 0 and 100',
  );
  const sli = slo['sli'];
  need(isObj(sli), `${path}.sli`, 'must be an object');
  need(
    isObj(sli['events']),
    `${path}.sli.events`,
    'is required: raw and plugin SLIs are not supported',
  );
  const events = sli['events'];
  const bad = str(events, 'error_query', `${path}.sli.events`);
  const total = str(events, 'total_query', `${path}.sli.events`);
  const labels = { ...strMap(doc['labels'], 'labels'), ...strMap(slo['labels'], `${path}.labels`) };
  const al = slo['alerting'];
  const alerting: { -readonly [K in keyof SloAlerting]: SloAlerting[K] } = {};
  if (isObj(al)) {
    if (typeof al['name'] === 'string') alerting.name = al['name'];
    const l = strMap(al['labels'], `${path}.alerting.labels`);
    if (l !== undefined) alerting.labels = l;
    const a = strMap(al['annotations'], `${path}.alerting.annotations`);
    if (a !== undefined) alerting.annotations = a;
    const page = tierLabels(al, 'page_alert', `${path}.alerting`);
    const ticket = tierLabels(al, 'ticket_alert', `${path}.alerting`);
    if (page.labels !== undefined) alerting.pageLabels = page.labels;
    if (ticket.labels !== undefined) alerting.ticketLabels = ticket.labels;
    if (page.disabled) alerting.pageDisabled = true;
    if (ticket.disabled) alerting.ticketDisabled = true;
  } else {
    alerting.pageDisabled = true;
    alerting.ticketDisabled = true;
  }
  const description = slo['description'];
  return {
    apiVersion: SLO_SPEC_API_VERSION,
    kind: 'SLO',
    metadata: { name, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
    spec: {
      service,
      ...(typeof description === 'string' ? { description } : {}),
      indicator: { name, kind: 'availability', ratio: { bad, total } },
      timeWindow: { duration: period, isRolling: true },
      budgetingMethod: 'Occurrences',
      objectives: [{ target: round12(objective / 100) }],
      alerting,
    },
  };
}

/**
 * Reads a Sloth `prometheus/v1` spec (YAML) into SloSpecs, one per SLO.
 * Event SLIs only; page/ticket annotations other than the shared ones are not carried.
 */
export function parseSlothSpec(
  text: string,
  options: SlothImportOptions = {},
): Result<ImportedSpecs> {
  return finish(() => {
    const doc: unknown = parse(text);
    need(isObj(doc), '(root)', 'must be a YAML mapping');
    need(doc['version'] === 'prometheus/v1', 'version', "must be 'prometheus/v1'");
    const slos = doc['slos'];
    need(Array.isArray(slos) && slos.length > 0, 'slos', 'must be a non-empty list');
    const period = options.defaultPeriod ?? '30d';
    return {
      specs: slos.map((s: unknown, i) => toSpec(doc, s, { i, period })),
      specVersion: 'prometheus/v1',
      mode: 'cli-gen-prom',
    };
  }, 'Sloth prometheus/v1');
}
