/** Loads an SLI's history for a chosen range and shows the chart and the budget figures. */
import { Suspense, lazy, useId, useState } from 'react';
import type { RecommendationView, Sli } from '../api/types.ts';
import { budgetSummary, toChartPoints, trimEmpty } from '../core/budget.ts';
import { formatCount, formatPercent, formatTarget } from '../core/format.ts';
import { API_DEFAULT_RANGE, RANGE_CHOICES, historyRange, rangeChoice } from '../core/range.ts';
import { useApi } from './api-context.tsx';
import { ErrorAlert } from './error-alert.tsx';
import { Loading } from './loading.tsx';
import { useResult } from './use-result.ts';

// The charting library is most of the bundle: it loads only when a journey's history is shown.
const SliChart = lazy(() => import('./sli-chart.tsx').then((m) => ({ default: m.SliChart })));

/** Props of {@link HistoryPanel}. */
export interface HistoryPanelProps {
  readonly slis: readonly Sli[];
  readonly recommendations: readonly RecommendationView[];
}

/** The SLI history section of a journey. */
export function HistoryPanel({ slis, recommendations }: HistoryPanelProps) {
  const { api, nowMs } = useApi();
  const id = useId();
  const [sliId, setSliId] = useState(slis[0]?.id ?? '');
  const [rangeId, setRangeId] = useState(API_DEFAULT_RANGE);
  // The API's default range follows its own clock; the others end at the newest data it holds.
  const range =
    rangeId === API_DEFAULT_RANGE ? undefined : historyRange(nowMs(), rangeChoice(rangeId).spanMs);
  const history = useResult(
    `history:${sliId}:${range === undefined ? 'api' : `${range.fromMs}:${range.toMs}`}`,
    () => api.sliHistory(sliId, range),
  );
  const sli = slis.find((s) => s.id === sliId);
  const rec =
    recommendations.find((r) => r.sliId === sliId && r.status === 'approved') ??
    recommendations.find((r) => r.sliId === sliId && r.status === 'proposed') ??
    recommendations.find((r) => r.sliId === sliId);

  if (slis.length === 0) return <p>This journey has no SLIs yet.</p>;

  let body;
  if (history.state.loading) body = <Loading what="the SLI history" />;
  else if (!history.state.ok)
    body = <ErrorAlert error={history.state.error} action="Loading the SLI history" />;
  else {
    const h = history.state.value;
    const target = h.target ?? rec?.target;
    const points = trimEmpty(toChartPoints(h.points, target ?? 0.99));
    const alerts = h.alerts.length > 0 ? h.alerts : (rec?.backtest.alerts ?? []);
    const b = target === undefined ? undefined : budgetSummary(h.points, target);
    body = (
      <>
        {b === undefined ? null : (
          <dl className="stats" aria-label="Error budget over the range">
            <div>
              <dt>Good / total</dt>
              <dd>
                {formatCount(b.good)} / {formatCount(b.total)}
              </dd>
            </div>
            <div>
              <dt>Ratio</dt>
              <dd>{b.ratio === null ? '–' : formatPercent(b.ratio, 3)}</dd>
            </div>
            <div>
              <dt>Target</dt>
              <dd>{formatTarget(target!)}</dd>
            </div>
            <div>
              <dt>Budget consumed</dt>
              <dd className={b.consumed > 1 ? 'bad' : undefined}>{formatPercent(b.consumed, 1)}</dd>
            </div>
            <div>
              <dt>Bad events allowed / seen</dt>
              <dd>
                {formatCount(b.allowedBad)} / {formatCount(b.bad)}
              </dd>
            </div>
          </dl>
        )}
        <Suspense fallback={<Loading what="the chart" />}>
          <SliChart points={points} target={target} alerts={alerts} title={sli?.name ?? h.sliId} />
        </Suspense>
      </>
    );
  }

  return (
    <>
      <div className="toolbar">
        <label htmlFor={`${id}-sli`}>SLI</label>
        <select
          id={`${id}-sli`}
          value={sliId}
          onChange={(e) => {
            setSliId(e.target.value);
          }}
        >
          {slis.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.kind})
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-range`}>Range</label>
        <select
          id={`${id}-range`}
          value={rangeId}
          onChange={(e) => {
            setRangeId(e.target.value);
          }}
        >
          {RANGE_CHOICES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      {body}
    </>
  );
}
