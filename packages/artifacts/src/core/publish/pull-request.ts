import type { SloSpec } from '@slo-scout/schema';
import { topErrorsMarkdown, type ErrorTemplate } from '../dashboards/generate-dashboard.ts';
import { codeOwnersOf, type PolicyDecision } from '../policy/policy.ts';
import { generateSloRules } from '../rules/generate-rules.ts';
import type { ArtifactFile } from '../runbooks/generate-runbooks.ts';

/** A change to publish: files on a branch, with a pull-request title, description and labels. */
export interface PullRequestDraft {
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly files: readonly ArtifactFile[];
  /** Labels for the pull request; publishers without labels ignore them. */
  readonly labels?: readonly string[];
}

/** One validation step shown in the description, e.g. `promtool check rules`. */
export interface ValidationStep {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/** What {@link createPullRequestDraft} summarises. */
export interface PullRequestInput {
  readonly specs: readonly SloSpec[];
  readonly files: readonly ArtifactFile[];
  /** Top error templates per SLO id (`<service>-<slo>`), samples already redacted. */
  readonly evidence?: Readonly<Record<string, readonly ErrorTemplate[]>>;
  readonly validation?: readonly ValidationStep[];
  readonly decision?: PolicyDecision;
  /** Default `slo-scout/<services>`. */
  readonly branch?: string;
  readonly title?: string;
  /** Default `['slo-scout', 'slo']`. */
  readonly labels?: readonly string[];
}

/** Marks descriptions written by SLO-Scout (and their format version). */
export const PULL_REQUEST_MARKER = '<!-- slo-scout:pull-request v1 -->';

const pct = (n: number): string => `${Number((n * 100).toPrecision(6))}%`;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function services(specs: readonly SloSpec[]): string[] {
  return [...new Set(specs.map((s) => s.spec.service))].sort();
}

/** The Markdown summary table: one row per objective with target, budget, alerts and guard. */
export function toSummaryTable(specs: readonly SloSpec[]): string {
  const rows = specs.flatMap((spec) =>
    generateSloRules(spec).map(({ plan }) => {
      const tiers = plan.alerts.filter((a) => a.pairs.length > 0).map((a) => a.tier);
      return `| \`${plan.id}\` | ${cell(plan.service)} | ${spec.spec.indicator.kind} | ${pct(plan.target)} | ${plan.period} | ${pct(plan.errorBudget)} | ${tiers.join(', ') || 'none'} | ${plan.minEvents > 0 ? `${plan.minEvents} events` : 'off'} | ${cell(plan.owner ?? '—')} |`;
    }),
  );
  return [
    '| SLO | service | SLI | target | period | error budget | alerts | low-traffic guard | owner |',
    '|---|---|---|---:|---|---:|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The pull-request description: summary table, files, validation, policy and evidence. */
export function toPullRequestBody(input: PullRequestInput): string {
  const out = [
    PULL_REQUEST_MARKER,
    `SLO-Scout proposes ${input.specs.length} SLO spec(s) for ${services(input.specs).join(', ')}.`,
    '',
    '## Summary',
    '',
    toSummaryTable(input.specs),
    '',
    '## Files',
    '',
    ...[...input.files]
      .map((f) => f.path)
      .sort()
      .map((p) => `- \`${p}\``),
  ];
  if (input.validation !== undefined && input.validation.length > 0) {
    out.push('', '## Validation', '');
    for (const v of input.validation) {
      out.push(`- [${v.ok ? 'x' : ' '}] ${v.name}${v.detail ? ` — ${cell(v.detail)}` : ''}`);
    }
  }
  if (input.decision !== undefined) {
    const d = input.decision;
    out.push('', '## Policy', '', d.allowed ? 'Allowed by the policy.' : 'Blocked by the policy:');
    for (const r of d.reasons) out.push(`- **${r.rule}**: ${cell(r.message)}`);
    if (d.requiredApprovers.length > 0) {
      out.push('', `Approvals needed (one of each): ${d.requiredApprovers.join('; ')}`);
    }
  }
  const evidence = input.evidence ?? {};
  const ids = Object.keys(evidence).sort();
  if (ids.length > 0) {
    out.push('', '## Evidence: top error fingerprints (redacted samples)');
    for (const id of ids) out.push('', `### \`${id}\``, '', topErrorsMarkdown(evidence[id] ?? []));
  }
  return `${out.join('\n')}\n`;
}

/** A publishable draft with a deterministic branch, title, body and labels. */
export function createPullRequestDraft(input: PullRequestInput): PullRequestDraft {
  const svc = services(input.specs);
  const slug =
    svc
      .join('-')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 60) || 'slos';
  return {
    branch: input.branch ?? `slo-scout/${slug}`,
    title: input.title ?? `SLO-Scout: ${input.specs.length} SLO(s) for ${svc.join(', ')}`,
    body: toPullRequestBody(input),
    files: input.files,
    labels: input.labels ?? ['slo-scout', 'slo'],
  };
}

/** Reviewers asked for by CODEOWNERS: `@user` handles and `@org/team` teams; e-mails are left out. */
export interface CodeOwnerReviewers {
  readonly users: readonly string[];
  readonly teams: readonly { readonly org: string; readonly slug: string }[];
}

/** The owners (by CODEOWNERS, last match wins) of every changed path, split into users and teams. */
export function reviewersFor(codeowners: string, paths: readonly string[]): CodeOwnerReviewers {
  const users = new Set<string>();
  const teams = new Map<string, { org: string; slug: string }>();
  for (const p of paths) {
    for (const owner of codeOwnersOf(codeowners, p)) {
      const m = /^@([\w.-]+)(?:\/([\w.-]+))?$/.exec(owner);
      if (m === null) continue;
      if (m[2] === undefined) users.add(m[1]!);
      else teams.set(`${m[1]}/${m[2]}`, { org: m[1]!, slug: m[2] });
    }
  }
  return {
    users: [...users].sort(),
    teams: [...teams.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t),
  };
}

const BRANCH = /^[A-Za-z0-9._/-]+$/;

/** True for a branch name every publisher accepts: `[A-Za-z0-9._/-]`, no `..`, no leading `/` or `-`. */
export function isValidBranchName(name: string): boolean {
  return (
    BRANCH.test(name) &&
    !name.includes('..') &&
    !name.startsWith('/') &&
    !name.startsWith('-') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock')
  );
}

/** True for a repository-relative file path: no leading `/`, no `.` or `..` segments. */
export function isValidFilePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\')) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Checks a draft's branch and paths before any publisher touches a repository. */
export function checkDraft(draft: PullRequestDraft): string | undefined {
  if (!isValidBranchName(draft.branch)) return `'${draft.branch}' is not a valid branch name`;
  const bad = draft.files.find((f) => !isValidFilePath(f.path));
  if (bad !== undefined) return `'${bad.path}' is not a valid repository path`;
  const seen = new Set<string>();
  for (const f of draft.files) {
    if (seen.has(f.path)) return `'${f.path}' appears twice in the draft`;
    seen.add(f.path);
  }
  return undefined;
}
