import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codeOwnersOf,
  evaluatePolicy,
  generateRunbooks,
  isUnboundedRegex,
  parsePolicy,
  scanArtifacts,
} from '../src/index.ts';
import type { SensitiveScanner } from '../src/index.ts';
import { sloSpecArb } from './support/arbitraries.ts';
import { RUNBOOKS, expectGolden, goldenSpec } from './support/golden.ts';

/** A test scanner: e-mail addresses and `password=...`, by regex. */
const scanner: SensitiveScanner = {
  scan(text) {
    const out = [];
    for (const m of text.matchAll(/[\w.+-]+@[\w-]+\.[\w.]+|password=\S+/g)) {
      out.push({
        kind: m[0].startsWith('password') ? 'SECRET' : 'EMAIL',
        start: m.index,
        end: m.index + m[0].length,
      });
    }
    return out;
  },
};

const TOP = [
  {
    fingerprint: '9f2c4e1ab37d55e0',
    template: 'payment gateway timeout after <*> ms',
    count: 412,
    sample: 'payment gateway timeout after 3000 ms user=<EMAIL>',
  },
];

describe('runbooks', () => {
  it('golden: page and ticket runbooks', () => {
    const files = generateRunbooks(goldenSpec(), {
      dashboardUrl: 'https://grafana.example.com/d/slo-checkout-checkout-availability',
      topErrors: TOP,
    });
    expect(files.map((f) => f.path)).toEqual([
      'runbooks/checkout-checkout-availability-page.md',
      'runbooks/checkout-checkout-availability-ticket.md',
    ]);
    expectGolden('checkout-availability.runbook-page.md', files[0]!.content);
    expect(`${RUNBOOKS}/checkout-checkout-availability-page.md`).toContain(
      files[0]!.path.split('/')[1]!,
    );
  });

  it('one runbook per enabled tier, each with the PromQL and the budget', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const files = generateRunbooks(spec);
        expect(files.length).toBe(spec.spec.alerting?.pageDisabled === true ? 1 : 2);
        for (const f of files) {
          expect(f.content).toContain('## PromQL');
          expect(f.content).toContain('## First checks');
          expect(f.content).not.toContain('{{.window}}');
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('artifact scan', () => {
  it('passes clean runbooks and blocks one with an e-mail address, naming file, line and kind', () => {
    const files = generateRunbooks(goldenSpec(), { topErrors: TOP });
    expect(scanArtifacts(files, scanner).ok).toBe(true);
    const leaky = [
      ...files,
      { path: 'runbooks/x.md', content: 'line one\ncontact bob@example.com\n' },
    ];
    const r = scanArtifacts(leaky, scanner);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('SENSITIVE_CONTENT');
      expect(r.error.message).toContain('runbooks/x.md:2 EMAIL');
      expect(r.error.message).not.toContain('bob@example.com');
    }
  });
});

describe('policy guard', () => {
  const policyText = `apiVersion: slo-scout/v1
kind: ArtifactPolicy
spec:
  maxNewPagingAlerts: 1
  targetApproval: { above: 0.995, approvers: ['@acme/sre-leads'] }
`;
  const policy = (() => {
    const p = parsePolicy(policyText);
    if (!p.ok) throw p.error;
    return p.value;
  })();
  const codeowners = '* @acme/platform\nrunbooks/checkout-* @acme/payments\n';

  it('lists every reason: blast radius, target, owners, regex, sensitive data', () => {
    const spec = goldenSpec();
    const other = {
      ...spec,
      metadata: { ...spec.metadata, name: 'other' },
      spec: {
        ...spec.spec,
        indicator: {
          ...spec.spec.indicator,
          ratio: {
            bad: 'sum(rate(x{route=~"/api/.*",code=~"5.."}[{{.window}}]))',
            total: 'sum(rate(x[{{.window}}]))',
          },
        },
      },
    };
    const files = [
      { path: 'runbooks/checkout-checkout-availability-page.md', content: 'password=hunter2' },
    ];
    const d = evaluatePolicy(policy, { specs: [spec, other], files, codeowners }, scanner);
    expect(d.allowed).toBe(false);
    expect(d.reasons.map((r) => r.rule).sort()).toEqual(
      [
        'blast-radius',
        'owner-approval',
        'sensitive-data',
        'target-approval',
        'target-approval',
        'unbounded-regex',
      ].sort(),
    );
    expect(d.requiredApprovers).toContain('@acme/payments');
  });

  it('allows the change once approved, within the blast radius and clean', () => {
    const files = generateRunbooks(goldenSpec());
    const d = evaluatePolicy(
      policy,
      {
        specs: [goldenSpec()],
        files,
        codeowners,
        approvals: ['@acme/sre-leads', '@acme/payments'],
      },
      scanner,
    );
    expect(d).toEqual({
      allowed: true,
      reasons: [],
      requiredApprovers: ['@acme/sre-leads', '@acme/payments'],
    });
  });

  it('existing paging SLOs do not count toward the blast radius', () => {
    fc.assert(
      fc.property(fc.array(sloSpecArb, { minLength: 2, maxLength: 5 }), (specs) => {
        const p = {
          maxNewPagingAlerts: policy.maxNewPagingAlerts,
          requireOwnerApproval: false,
          forbidUnboundedRegex: false,
          forbidSensitive: false,
        } as const;
        const ids = specs.map((s) => `${s.spec.service}-${s.metadata.name}`);
        const paging = specs.filter((s) => s.spec.alerting?.pageDisabled !== true).length;
        expect(evaluatePolicy(p, { specs, files: [], existingPagingIds: ids }).allowed).toBe(true);
        expect(evaluatePolicy(p, { specs, files: [] }).allowed).toBe(paging <= 1);
      }),
      { numRuns: 30 },
    );
  });

  it('CODEOWNERS: last match wins; anchored and directory patterns', () => {
    const co = '* @all\n/runbooks/ @sre\n*.md @docs\nrunbooks/pay* @pay\n';
    expect(codeOwnersOf(co, 'src/a.ts')).toEqual(['@all']);
    expect(codeOwnersOf(co, 'runbooks/x.yml')).toEqual(['@sre']);
    expect(codeOwnersOf(co, 'runbooks/x.md')).toEqual(['@docs']);
    expect(codeOwnersOf(co, 'runbooks/pay-1.md')).toEqual(['@pay']);
  });

  it('unbounded regex detection', () => {
    expect(isUnboundedRegex('.*')).toBe(true);
    expect(isUnboundedRegex('/api/.+')).toBe(true);
    expect(isUnboundedRegex('5..')).toBe(false);
    expect(isUnboundedRegex('a\\.*')).toBe(false);
  });

  it('rejects a malformed policy', () => {
    expect(parsePolicy('kind: Nope').ok).toBe(false);
    expect(
      parsePolicy(
        'apiVersion: slo-scout/v1\nkind: ArtifactPolicy\nspec: { maxNewPagingAlerts: -1 }',
      ).ok,
    ).toBe(false);
  });
});
