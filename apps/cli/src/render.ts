/** Tables of what the engine returns, for people (the `--json` output is the values themselves). */
import type {
  AnalyzeReport,
  ArtifactView,
  PublishedPullRequest,
  RecommendationView,
  ValidationReport,
} from '@slo-scout/engine';
import { table } from './output.ts';

const pct = (x: number): string => `${(x * 100).toFixed(x >= 0.999 ? 2 : 1)}%`;

/** Journeys with their SLIs. */
export function renderAnalysis(r: AnalyzeReport, tty: boolean): string {
  const slisBy = new Map<string, string[]>();
  for (const s of r.slis) slisBy.set(s.journeyId, [...(slisBy.get(s.journeyId) ?? []), s.name]);
  return table(
    ['journey', 'service', 'traffic', 'traces', 'errors', 'SLIs'],
    r.journeys.map((j) => [
      j.name,
      j.entryService,
      pct(j.trafficShare),
      j.evidence.traceCount,
      j.evidence.errorCount,
      (slisBy.get(j.id) ?? []).join('\n') || '-',
    ]),
    tty,
  );
}

/** Recommendations: SLI, target, window, confidence, backtest. */
export function renderRecommendations(recs: readonly RecommendationView[], tty: boolean): string {
  return table(
    ['id', 'SLI', 'service', 'target', 'window', 'confidence', 'backtest', 'status'],
    recs.map((r) => [
      r.id,
      r.sliName,
      r.service,
      pct(r.target),
      r.window,
      r.confidence.toFixed(2),
      `${r.backtest.pages} pages, ${r.backtest.tickets} tickets, ${pct(r.backtest.budgetConsumed)} budget`,
      r.status,
    ]),
    tty,
  );
}

/** Validation steps and the policy decision. */
export function renderValidation(v: ValidationReport, tty: boolean): string {
  const rows: (string | number)[][] = v.steps.map((s) => [
    s.name,
    s.skipped === true ? 'skipped' : s.ok ? 'ok' : 'FAILED',
    s.detail ?? '',
  ]);
  rows.push([
    'policy',
    v.policy.allowed ? 'allowed' : 'DENIED',
    v.policy.reasons.map((r) => `${r.rule}: ${r.message}`).join('\n'),
  ]);
  return table(['step', 'result', 'detail'], rows, tty);
}

/** An artifact set's files. */
export function renderArtifact(a: ArtifactView, tty: boolean): string {
  return table(
    ['artifact file', 'bytes'],
    a.files.map((f) => [f.path, f.content.length]),
    tty,
  );
}

/** Where the pull request went. */
export function renderPullRequest(p: PublishedPullRequest): string {
  return `${p.updated ? 'updated' : 'opened'} pull request: branch ${p.branch}${p.commit ? ` at ${p.commit.slice(0, 12)}` : ''}\n  ${p.url}\n`;
}
