/**
 * Server-rendered markup of the components: the accessibility contract (labels tied to controls,
 * real buttons, alerts, text signs besides colour) checked without a browser.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecommendationView } from '../api/types.ts';
import { WebError } from '../errors.ts';
import { DiffFile } from './diff-view.tsx';
import { ErrorAlert } from './error-alert.tsx';
import { KeyForm } from './key-form.tsx';
import { RecommendationCard } from './recommendation-card.tsx';
import { ValidationReportView } from './validation-report.tsx';

const rec: RecommendationView = {
  id: 'rec-1',
  sliId: 'sli-1',
  service: 'checkout',
  target: 0.995,
  window: '28d',
  confidence: 0.83,
  rationale: 'p99 of the daily good ratio over 14 days',
  evidence: { fingerprints: [], sampleRefs: [], facts: {} },
  status: 'proposed',
  createdAtMs: 0,
  decidedAtMs: null,
  decidedBy: null,
  journeyId: 'j1',
  sliName: 'checkout-availability',
  spec: {
    apiVersion: 'slo-scout/v1',
    kind: 'SLO',
    metadata: { name: 'checkout-availability' },
    spec: { service: 'checkout', timeWindow: { duration: '28d' }, objectives: [{ target: 0.995 }] },
  },
  backtest: { budgetConsumed: 0.42, pages: 1, tickets: 2, alerts: [] },
};

/** Every `<label for=x>` names an element with `id=x`, and every textarea/input/select has one. */
function expectLabelled(html: string): void {
  const fors = [...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);
  const controls = [...html.matchAll(/<(?:input|textarea|select)[^>]*\sid="([^"]+)"/g)].map(
    (m) => m[1],
  );
  expect(controls.length).toBeGreaterThan(0);
  expect([...controls].sort()).toEqual([...fors].sort());
}

const noop = () => Promise.resolve({ ok: true as const, value: rec });

describe('components', () => {
  it('a proposed recommendation has a labelled reason and real buttons', () => {
    const html = renderToStaticMarkup(
      createElement(RecommendationCard, {
        rec,
        onApprove: noop,
        onReject: noop,
        onDecided: () => undefined,
      }),
    );
    expectLabelled(html);
    expect(html).toContain('Reason (required to reject, optional to approve)');
    expect(html).toContain(
      '<button type="submit" class="primary">Approve checkout-availability</button>',
    );
    expect(html).toContain(
      '<button type="button" class="danger">Reject checkout-availability</button>',
    );
    expect(html).toContain('99.5%');
    expect(html).toContain('high (83%)');
    expect(html).not.toMatch(/<div[^>]*onclick/i);
  });

  it('a decided recommendation offers no decision controls', () => {
    const html = renderToStaticMarkup(
      createElement(RecommendationCard, {
        rec: { ...rec, status: 'approved', decidedBy: 'alice', decidedAtMs: Date.UTC(2025, 0, 2) },
        onApprove: noop,
        onReject: noop,
        onDecided: () => undefined,
      }),
    );
    expect(html).not.toContain('<textarea');
    expect(html).toContain('Approved by alice at 2025-01-02 00:00 UTC');
  });

  it('an API error shows its message and field in an alert', () => {
    const html = renderToStaticMarkup(
      createElement(ErrorAlert, {
        error: new WebError('INVALID_INPUT', 'must not be empty', {
          status: 400,
          apiCode: 'VALIDATION',
          field: 'body.reason',
        }),
        action: 'Rejecting',
      }),
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('Rejecting failed (HTTP 400 VALIDATION)');
    expect(html).toContain('must not be empty');
    expect(html).toContain('<code class="error-field">body.reason</code>');
  });

  it('the key form labels its password field', () => {
    const html = renderToStaticMarkup(
      createElement(KeyForm, { onSubmit: () => Promise.resolve(undefined) }),
    );
    expectLabelled(html);
    expect(html).toMatch(/<input[^>]*type="password"/);
    expect(html).toContain('<h1 tabindex="-1"');
  });

  it('diff lines carry a text sign and a hidden word, not colour alone', () => {
    const html = renderToStaticMarkup(
      createElement(DiffFile, {
        file: { path: 'rules/a.yaml', status: 'modified', patch: '@@ -1 +1 @@\n-old\n+new\n' },
        open: true,
      }),
    );
    expect(html).toContain('+1 −1');
    expect(html).toMatch(
      /<span aria-hidden="true">\+<\/span><span class="visually-hidden">added<\/span>/,
    );
    expect(html).toMatch(
      /<span aria-hidden="true">−<\/span><span class="visually-hidden">removed<\/span>/,
    );
  });

  it('validation results are written out', () => {
    const html = renderToStaticMarkup(
      createElement(ValidationReportView, {
        report: {
          ok: false,
          steps: [
            { name: 'promtool check rules', ok: true },
            { name: 'dashboard schema', ok: false, detail: 'panels[0].type missing' },
          ],
          policy: {
            allowed: false,
            reasons: [{ rule: 'blast-radius', message: 'too many pages' }],
            requiredApprovers: ['sre'],
          },
        },
      }),
    );
    expect(html).toContain('✘ Validation failed');
    expect(html).toContain('✔ passed');
    expect(html).toContain('✘ failed');
    expect(html).toContain('panels[0].type missing');
    expect(html).toContain('✘ Denied by policy');
    expect(html).toContain('Still needs approval from: sre');
  });
});
