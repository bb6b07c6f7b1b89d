import { parse } from 'yaml';
import type { SloSpec } from '@slo-scout/schema';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';
import { findSelectors } from '../promtool-tests/selectors.ts';
import { withWindow } from '../rules/plan.ts';
import type { ArtifactFile } from '../runbooks/generate-runbooks.ts';
import { defaultSensitiveScanner, findSensitive, type SensitiveScanner } from '../scan.ts';

/** A declarative artifact policy (`apiVersion: slo-scout/v1`, `kind: ArtifactPolicy`). */
export interface ArtifactPolicy {
  /** Blast radius: most new paging alerts one change may add. */
  readonly maxNewPagingAlerts: number;
  /** Targets above `above` need an approval from one of `approvers`. */
  readonly targetApproval?: { readonly above: number; readonly approvers: readonly string[] };
  /** Owners from CODEOWNERS (and the spec's owner) must approve. */
  readonly requireOwnerApproval: boolean;
  readonly forbidUnboundedRegex: boolean;
  readonly forbidSensitive: boolean;
}

/** What the guard looks at. */
export interface ChangeSet {
  readonly specs: readonly SloSpec[];
  readonly files: readonly ArtifactFile[];
  /** Ids (`<service>-<slo>`) of SLOs that already page, so only new ones count. */
  readonly existingPagingIds?: readonly string[];
  /** Who approved, e.g. `@acme/payments`, `@alice`. */
  readonly approvals?: readonly string[];
  /** The repository's CODEOWNERS text. */
  readonly codeowners?: string;
}

/** One reason of a decision. */
export interface PolicyReason {
  readonly rule:
    'blast-radius' | 'target-approval' | 'owner-approval' | 'unbounded-regex' | 'sensitive-data';
  readonly message: string;
}

/** The guard's verdict, with every reason that blocks. */
export interface PolicyDecision {
  readonly allowed: boolean;
  readonly reasons: readonly PolicyReason[];
  /** Approvers the change still needs (any one of each group). */
  readonly requiredApprovers: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a policy from YAML; a failed result names the bad field. */
export function parsePolicy(text: string): Result<ArtifactPolicy> {
  const fail = (m: string): Result<ArtifactPolicy> =>
    err(new ArtifactsError('INVALID_SPEC', `policy: ${m}`));
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return err(new ArtifactsError('PARSE_FAILED', `policy: ${String(e)}`, { cause: e }));
  }
  if (!isObj(doc) || doc['kind'] !== 'ArtifactPolicy' || doc['apiVersion'] !== 'slo-scout/v1') {
    return fail("must be apiVersion 'slo-scout/v1', kind 'ArtifactPolicy'");
  }
  const spec = isObj(doc['spec']) ? doc['spec'] : {};
  const max = spec['maxNewPagingAlerts'] ?? 5;
  if (!Number.isInteger(max) || (max as number) < 0)
    return fail('spec.maxNewPagingAlerts must be a whole number ≥ 0');
  const ta = spec['targetApproval'];
  let targetApproval: ArtifactPolicy['targetApproval'];
  if (ta !== undefined) {
    if (
      !isObj(ta) ||
      typeof ta['above'] !== 'number' ||
      !Array.isArray(ta['approvers']) ||
      ta['approvers'].length === 0
    ) {
      return fail('spec.targetApproval needs a number `above` and a non-empty `approvers` list');
    }
    targetApproval = { above: ta['above'], approvers: ta['approvers'].map(String) };
  }
  const flag = (k: string): boolean => spec[k] !== false;
  return ok({
    maxNewPagingAlerts: max as number,
    ...(targetApproval === undefined ? {} : { targetApproval }),
    requireOwnerApproval: flag('requireOwnerApproval'),
    forbidUnboundedRegex: flag('forbidUnboundedRegex'),
    forbidSensitive: flag('forbidSensitive'),
  });
}

function globToRegExp(pattern: string): RegExp {
  let p = pattern.startsWith('/') ? pattern.slice(1) : `**/${pattern}`;
  if (p.endsWith('/')) p += '**';
  const re = p
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${re.replace(/^\.\*\//, '(?:.*/)?')}(?:/.*)?$`);
}

/** Owners of a path by CODEOWNERS rules: the last matching line wins, as on GitHub and GitLab. */
export function codeOwnersOf(codeowners: string, path: string): readonly string[] {
  let owners: readonly string[] = [];
  for (const raw of codeowners.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '' || line.startsWith('[')) continue;
    const [pattern, ...who] = line.split(/\s+/);
    if (pattern !== undefined && globToRegExp(pattern).test(path)) owners = who;
  }
  return owners;
}

/** True when a regex matcher value can match without bound (`.*`, `.+`). */
export function isUnboundedRegex(value: string): boolean {
  return /(^|[^\\])\.[*+]/.test(value);
}

/**
 * Evaluates a policy on a change set; the decision lists every reason that blocks. Sensitive data
 * is found with the fingerprint redactor unless another scanner is given.
 */
export function evaluatePolicy(
  policy: ArtifactPolicy,
  change: ChangeSet,
  scanner: SensitiveScanner = defaultSensitiveScanner(),
): PolicyDecision {
  const reasons: PolicyReason[] = [];
  const required: string[][] = [];
  const approvals = new Set(change.approvals ?? []);
  const existing = new Set(change.existingPagingIds ?? []);
  const newPaging = change.specs.filter(
    (s) =>
      s.spec.alerting?.pageDisabled !== true &&
      !existing.has(`${s.spec.service}-${s.metadata.name}`),
  ).length;
  if (newPaging > policy.maxNewPagingAlerts) {
    reasons.push({
      rule: 'blast-radius',
      message: `${newPaging} new paging alerts, at most ${policy.maxNewPagingAlerts} allowed per change`,
    });
  }
  for (const s of change.specs) {
    const top = Math.max(...s.spec.objectives.map((o) => o.target));
    const ta = policy.targetApproval;
    if (ta !== undefined && top > ta.above) {
      required.push([...ta.approvers]);
      if (!ta.approvers.some((a) => approvals.has(a))) {
        reasons.push({
          rule: 'target-approval',
          message: `${s.metadata.name}: target ${top} is above ${ta.above} and needs approval from one of ${ta.approvers.join(', ')}`,
        });
      }
    }
    if (policy.forbidUnboundedRegex) {
      const r = s.spec.indicator.ratio;
      for (const q of [r.bad ?? r.good, r.total]) {
        for (const sel of findSelectors(withWindow(q, '5m'))) {
          for (const m of sel.matchers) {
            if ((m.op === '=~' || m.op === '!~') && isUnboundedRegex(m.value)) {
              reasons.push({
                rule: 'unbounded-regex',
                message: `${s.metadata.name}: ${sel.metric}{${m.name}${m.op}"${m.value}"} is an unbounded regex matcher`,
              });
            }
          }
        }
      }
    }
  }
  if (policy.requireOwnerApproval) {
    const groups = new Map<string, readonly string[]>();
    for (const f of change.files) {
      const owners = change.codeowners === undefined ? [] : codeOwnersOf(change.codeowners, f.path);
      if (owners.length > 0) groups.set(owners.join(' '), owners);
    }
    for (const s of change.specs)
      if (s.spec.owner !== undefined) groups.set(s.spec.owner, [s.spec.owner]);
    for (const owners of groups.values()) {
      required.push([...owners]);
      if (!owners.some((o) => approvals.has(o))) {
        reasons.push({
          rule: 'owner-approval',
          message: `needs approval from an owner: ${owners.join(', ')}`,
        });
      }
    }
  }
  if (policy.forbidSensitive) {
    for (const f of findSensitive(change.files, scanner)) {
      reasons.push({ rule: 'sensitive-data', message: `${f.path}:${f.line} contains ${f.kind}` });
    }
  }
  const requiredApprovers = [...new Set(required.map((g) => g.join(' | ')))];
  return { allowed: reasons.length === 0, reasons, requiredApprovers };
}
