import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  codeOwnersOf,
  createPullRequestDraft,
  generateRunbooks,
  isValidBranchName,
  reviewersFor,
  toSummaryTable,
} from '../src/index.ts';
import { sloSpecArb } from './support/arbitraries.ts';
import { expectGolden, goldenSpec } from './support/golden.ts';

describe('pull-request drafts', () => {
  it('golden: summary table, files, validation, policy and evidence', () => {
    const spec = goldenSpec();
    const d = createPullRequestDraft({
      specs: [spec],
      files: generateRunbooks(spec),
      evidence: {
        'checkout-checkout-availability': [
          {
            fingerprint: '9f2c4e1ab37d55e0',
            template: 'payment gateway timeout after <*> ms',
            count: 412,
            sample: 'payment gateway timeout after 3000 ms user=<EMAIL>',
          },
        ],
      },
      validation: [
        { name: 'promtool check rules', ok: true },
        { name: 'promtool test rules', ok: true, detail: '4 test groups' },
      ],
      decision: {
        allowed: false,
        reasons: [
          { rule: 'owner-approval', message: 'needs approval from an owner: @acme/payments' },
        ],
        requiredApprovers: ['@acme/payments'],
      },
    });
    expect(d.branch).toBe('slo-scout/checkout');
    expect(d.labels).toEqual(['slo-scout', 'slo']);
    expectGolden('checkout-availability.pull-request.md', d.body);
  });

  it('has one summary row per objective and lists every file', () => {
    fc.assert(
      fc.property(fc.array(sloSpecArb, { minLength: 1, maxLength: 4 }), (specs) => {
        const files = specs.flatMap((s) => generateRunbooks(s));
        const d = createPullRequestDraft({ specs, files: [] });
        expect(toSummaryTable(specs).split('\n')).toHaveLength(2 + specs.length);
        for (const s of specs) expect(d.body).toContain(`\`${s.spec.service}-${s.metadata.name}\``);
        const withFiles = createPullRequestDraft({ specs, files });
        for (const f of files) expect(withFiles.body).toContain(`- \`${f.path}\``);
        expect(isValidBranchName(d.branch)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('reviewers are exactly the @handles CODEOWNERS gives the changed paths', () => {
    const handle = fc.stringMatching(/^@[a-z]{1,5}(\/[a-z]{1,5})?$/);
    const line = fc.tuple(
      fc.constantFrom('*', 'a/', '*.md', '/b/', 'a/*.yml'),
      fc.array(handle, { minLength: 1, maxLength: 3 }),
    );
    const path = fc.constantFrom('a/x.md', 'a/y.yml', 'b/z.md', 'c.txt');
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 5 }),
        fc.array(path, { maxLength: 4 }),
        (lines, paths) => {
          const co = lines.map(([p, hs]) => `${p} ${hs.join(' ')} dev@example.com`).join('\n');
          const r = reviewersFor(co, paths);
          const expected = new Set(
            paths.flatMap((p) => codeOwnersOf(co, p)).filter((o) => o.startsWith('@')),
          );
          const got = new Set([
            ...r.users.map((u) => `@${u}`),
            ...r.teams.map((t) => `@${t.org}/${t.slug}`),
          ]);
          expect(got).toEqual(expected);
        },
      ),
    );
  });

  it('rejects bad branches, paths and duplicates', () => {
    const ok = {
      branch: 'slo/x',
      title: 't',
      body: 'b',
      files: [{ path: 'a/b.yml', content: '' }],
    };
    expect(checkDraft(ok)).toBeUndefined();
    expect(checkDraft({ ...ok, branch: '-x' })).toMatch(/branch/);
    expect(checkDraft({ ...ok, branch: 'x.lock' })).toMatch(/branch/);
    expect(checkDraft({ ...ok, files: [{ path: '/etc/passwd', content: '' }] })).toMatch(/path/);
    expect(checkDraft({ ...ok, files: [{ path: 'a/./b', content: '' }] })).toMatch(/path/);
    expect(checkDraft({ ...ok, files: [...ok.files, ...ok.files] })).toMatch(/twice/);
  });
});
