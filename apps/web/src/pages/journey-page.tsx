/** One journey: its SLIs and proposed SLOs (approve/reject), history chart, evidence, and generation. */
import { latestApprovedPerSli } from '../core/recommendations.ts';
import { useState } from 'react';
import type { JourneyDetail, RecommendationView } from '../api/types.ts';
import type { WebError } from '../errors.ts';
import { describeKey, formatCount, formatPercent, formatTarget } from '../core/format.ts';
import { historyRange, rangeChoice } from '../core/range.ts';
import type { Route } from '../core/routes.ts';
import { useApi } from '../ui/api-context.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { EvidenceList } from '../ui/evidence-list.tsx';
import { HistoryPanel } from '../ui/history-panel.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { RecommendationCard } from '../ui/recommendation-card.tsx';
import { useResult } from '../ui/use-result.ts';

/** Props of {@link JourneyPage}. */
export interface JourneyPageProps {
  readonly id: string;
  readonly navigate: (route: Route) => void;
}

function JourneyFacts({ d }: { readonly d: JourneyDetail }) {
  const j = d.journey;
  return (
    <dl className="facts">
      <div>
        <dt>Key</dt>
        <dd>
          <code>{describeKey(j.key)}</code>
        </dd>
      </div>
      <div>
        <dt>Entry service</dt>
        <dd>{j.entryService}</dd>
      </div>
      <div>
        <dt>Traffic share</dt>
        <dd>{formatPercent(j.trafficShare, 1)}</dd>
      </div>
      <div>
        <dt>Traces / errors</dt>
        <dd>
          {formatCount(j.evidence.traceCount)} / {formatCount(j.evidence.errorCount)}
        </dd>
      </div>
      {j.evidence.latencyMs === undefined ? null : (
        <div>
          <dt>Latency p50 / p95 / p99</dt>
          <dd>
            {Math.round(j.evidence.latencyMs.p50)} / {Math.round(j.evidence.latencyMs.p95)} /{' '}
            {Math.round(j.evidence.latencyMs.p99)} ms
          </dd>
        </div>
      )}
      <div>
        <dt>Services involved</dt>
        <dd>{j.evidence.services.join(', ')}</dd>
      </div>
      <div>
        <dt>Example traces</dt>
        <dd>
          <ul className="trace-list">
            {j.evidence.exampleTraceIds.map((t) => (
              <li key={t}>
                <code>{t}</code>
              </li>
            ))}
          </ul>
        </dd>
      </div>
    </dl>
  );
}

/** The journey page. */
export function JourneyPage({ id, navigate }: JourneyPageProps) {
  const { api, nowMs } = useApi();
  const detail = useResult(`journey:${id}`, () => api.journey(id));
  // Decisions made on this page, newest state per recommendation id.
  const [decided, setDecided] = useState<Readonly<Record<string, RecommendationView>>>({});
  const [busy, setBusy] = useState<'generate' | 'propose' | undefined>();
  const [error, setError] = useState<{ e: WebError; action: string } | undefined>();

  if (detail.state.loading) {
    return (
      <>
        <PageHeading>Journey</PageHeading>
        <Loading what="the journey" />
      </>
    );
  }
  if (!detail.state.ok) {
    return (
      <>
        <PageHeading>Journey</PageHeading>
        <ErrorAlert error={detail.state.error} action="Loading the journey" />
      </>
    );
  }
  const d = detail.state.value;
  const recs = d.recommendations.map((r) => decided[r.id] ?? r);
  const approved = latestApprovedPerSli(recs);

  const generate = () => {
    setBusy('generate');
    setError(undefined);
    void api.generate(approved.map((r) => r.id)).then((res) => {
      setBusy(undefined);
      if (res.ok) navigate({ page: 'artifact', id: res.value.id });
      else setError({ e: res.error, action: 'Generating artifacts' });
    });
  };
  const propose = () => {
    setBusy('propose');
    setError(undefined);
    const range = historyRange(nowMs(), rangeChoice('28d').spanMs);
    void api.recommend({ ...range, journeyIds: [d.journey.id] }).then((res) => {
      setBusy(undefined);
      if (res.ok) detail.reload();
      else setError({ e: res.error, action: 'Proposing SLOs' });
    });
  };

  return (
    <>
      <PageHeading>Journey: {d.journey.name}</PageHeading>
      <section aria-labelledby="journey-facts">
        <h2 id="journey-facts">What the traffic shows</h2>
        <JourneyFacts d={d} />
      </section>

      <section aria-labelledby="journey-slos">
        <h2 id="journey-slos">Proposed SLIs and targets</h2>
        {d.slis.length === 0 ? <p>No SLIs were written for this journey.</p> : null}
        {d.slis.map((sli) => {
          const forSli = recs.filter((r) => r.sliId === sli.id);
          return (
            <section key={sli.id} className="sli" aria-labelledby={`sli-${sli.id}`}>
              <h3 id={`sli-${sli.id}`} className="sli-name">
                {sli.name} <span className="tag">{sli.kind}</span>
              </h3>
              <p>{sli.description}</p>
              <details>
                <summary>PromQL</summary>
                <pre>
                  <code>
                    {sli.ratio.good === undefined
                      ? `bad:   ${sli.ratio.bad}`
                      : `good:  ${sli.ratio.good}`}
                    {`\ntotal: ${sli.ratio.total}`}
                    {sli.thresholdSeconds === undefined
                      ? ''
                      : `\nthreshold: ${sli.thresholdSeconds}s`}
                  </code>
                </pre>
              </details>
              {forSli.length === 0 ? <p>No target proposed for this SLI yet.</p> : null}
              {forSli.map((r) => (
                <RecommendationCard
                  key={r.id}
                  rec={r}
                  onApprove={(rid, reason) => api.approve(rid, reason)}
                  onReject={(rid, reason) => api.reject(rid, reason)}
                  onDecided={(v) => {
                    setDecided((m) => ({ ...m, [v.id]: v }));
                  }}
                />
              ))}
            </section>
          );
        })}
        <div className="actions">
          {recs.length === 0 && d.slis.length > 0 ? (
            <button type="button" onClick={propose} disabled={busy !== undefined}>
              {busy === 'propose' ? 'Proposing…' : 'Propose SLO targets from the last 28 days'}
            </button>
          ) : null}
          <button
            type="button"
            className="primary"
            onClick={generate}
            disabled={busy !== undefined || approved.length === 0}
            aria-describedby="generate-help"
          >
            {busy === 'generate' ? 'Generating…' : 'Generate artifacts'}
          </button>
          <p id="generate-help" className="muted small">
            {approved.length === 0
              ? 'Approve at least one recommendation to generate rules, dashboards and runbooks.'
              : `Generates rules, promtool tests, dashboards and runbooks for ${approved.length} approved SLO${approved.length === 1 ? '' : 's'}: ${approved.map((r) => `${r.sliName} ${formatTarget(r.target)}`).join(', ')}.`}
          </p>
        </div>
        {error === undefined ? null : <ErrorAlert error={error.e} action={error.action} />}
      </section>

      <section aria-labelledby="journey-history">
        <h2 id="journey-history">SLI history and error budget</h2>
        <HistoryPanel slis={d.slis} recommendations={recs} />
      </section>

      <section aria-labelledby="journey-evidence">
        <h2 id="journey-evidence">Evidence: top error templates</h2>
        <p className="muted small">
          Templates and samples were redacted at ingestion; masked values appear as placeholders.
        </p>
        <EvidenceList evidence={d.evidence} />
      </section>
    </>
  );
}
