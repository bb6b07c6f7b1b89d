import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateRules, parseOpenSlo, parseSlothSpec, toRuleFileYaml } from '../src/index.ts';
import type { ImportedSpecs } from '../src/index.ts';
import { compatDir, haveCompat } from './support/paths.ts';
import { diffExpr } from './support/promql-compare.ts';

interface YRule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface YFile {
  groups: { name: string; rules: YRule[] }[];
}

const dir = compatDir('sloth');
const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

function withoutVersion(labels: Record<string, string> | undefined): Record<string, string> {
  const { sloth_version: _v, ...rest } = labels ?? {};
  return rest;
}

function generate(imported: ImportedSpecs): YFile {
  const file = generateRules(imported.specs, {
    extraLabels: { cmd: 'examplesgen.sh' },
    specVersion: imported.specVersion,
    mode: imported.mode,
  });
  return parse(toRuleFileYaml(file)) as YFile;
}

function expectSameRules(ours: YFile, theirs: YFile): void {
  expect(ours.groups.map((g) => g.name)).toEqual(theirs.groups.map((g) => g.name));
  ours.groups.forEach((g, gi) => {
    const t = theirs.groups[gi]!;
    expect(g.rules.map((r) => r.record ?? r.alert)).toEqual(
      t.rules.map((r) => r.record ?? r.alert),
    );
    g.rules.forEach((r, ri) => {
      const x = t.rules[ri]!;
      const where = `${g.name} #${ri} ${r.record ?? r.alert}`;
      expect(diffExpr(r.expr, x.expr), where).toBeNull();
      expect(withoutVersion(r.labels), where).toEqual(withoutVersion(x.labels));
      expect(r.annotations, where).toEqual(x.annotations);
    });
  });
}

describe.runIf(haveCompat('sloth'))('Sloth v0.16.0 compatibility vectors', () => {
  it('prometheus/v1 getting-started: same groups, rules, labels and numerically equal exprs', () => {
    const imported = parseSlothSpec(read('getting-started.slo.yml'));
    if (!imported.ok) throw imported.error;
    expectSameRules(generate(imported.value), parse(read('getting-started.rules.yml')) as YFile);
  });

  it('openslo/v1alpha getting-started: recordings and metadata only', () => {
    const imported = parseOpenSlo(read('openslo-getting-started.slo.yml'));
    if (!imported.ok) throw imported.error;
    expectSameRules(
      generate(imported.value),
      parse(read('openslo-getting-started.rules.yml')) as YFile,
    );
  });

  it('a changed objective no longer matches (the comparison can fail)', () => {
    const text = read('getting-started.slo.yml').replace('objective: 99.9', 'objective: 99.5');
    const imported = parseSlothSpec(text);
    if (!imported.ok) throw imported.error;
    expect(() => {
      expectSameRules(generate(imported.value), parse(read('getting-started.rules.yml')) as YFile);
    }).toThrow();
  });
});
