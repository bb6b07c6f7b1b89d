/**
 * The SLI's history: the good ratio per step with the target line and the backtest's alerts as
 * shaded bands, and the cumulative error-budget burn. Recharts draws SVG, so each mark is in the
 * DOM; a data table under the charts gives the same figures to screen readers and keyboards.
 */
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BacktestAlert } from '../api/types.ts';
import { alertsInRange, yFloor, type ChartPoint } from '../core/budget.ts';
import { formatPercent, formatTarget, formatTick, formatTime } from '../core/format.ts';

/** Props of {@link SliChart}. */
export interface SliChartProps {
  readonly points: readonly ChartPoint[];
  readonly target: number | undefined;
  readonly alerts: readonly BacktestAlert[];
  readonly title: string;
}

const COLORS = {
  ratio: '#1d4ed8',
  target: '#b91c1c',
  page: '#dc2626',
  ticket: '#d97706',
  budget: '#6d28d9',
};

const pctTick = (v: number): string => formatPercent(v, 2);

/** The ratio chart and the budget chart, with a data table. */
export function SliChart({ points, target, alerts, title }: SliChartProps) {
  if (points.length === 0) {
    return <p>No events for this SLI in the chosen range. Pick a longer range.</p>;
  }
  const from = points[0]!.tMs;
  const to = points[points.length - 1]!.tMs;
  const span = to - from;
  const shown = alertsInRange(alerts, from, to);
  const floor = yFloor(points, target);
  const pages = shown.filter((a) => a.severity === 'page').length;
  const tickets = shown.length - pages;
  const last = points[points.length - 1]!;
  const summary =
    `${title}: good-event ratio per step from ${formatTime(from)} to ${formatTime(to)}` +
    (target === undefined ? '' : `, target ${formatTarget(target)}`) +
    `, ${pages} page and ${tickets} ticket alerts in the backtest` +
    `, ${formatPercent(last.consumed, 1)} of the error budget consumed by the end.`;
  const data = points.map((p) => ({
    ...p,
    consumedPct: Number.isFinite(p.consumed) ? p.consumed : null,
  }));

  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>: good/total per step, target line in red
        {shown.length > 0 ? ', backtest alerts shaded (red: page, amber: ticket)' : ''}.
      </figcaption>
      <div className="chart-box" role="img" aria-label={summary} data-testid="sli-ratio-chart">
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
            <CartesianGrid stroke="#d4d4d8" strokeDasharray="3 3" />
            <XAxis
              dataKey="tMs"
              type="number"
              scale="time"
              domain={[from, to]}
              tickFormatter={(v: number) => formatTick(v, span)}
              stroke="#3f3f46"
            />
            <YAxis
              domain={[floor, 1]}
              tickFormatter={pctTick}
              width={72}
              stroke="#3f3f46"
              allowDataOverflow
            />
            {shown.map((a) => (
              <ReferenceArea
                key={`${a.severity}-${a.startMs}`}
                x1={a.startMs}
                x2={Math.max(a.endMs, a.startMs + 1)}
                y1={floor}
                y2={1}
                fill={a.severity === 'page' ? COLORS.page : COLORS.ticket}
                fillOpacity={0.18}
                stroke={a.severity === 'page' ? COLORS.page : COLORS.ticket}
                strokeOpacity={0.5}
                ifOverflow="hidden"
                className={`alert-band alert-${a.severity}`}
              />
            ))}
            {target === undefined ? null : (
              <ReferenceLine
                y={target}
                stroke={COLORS.target}
                strokeWidth={2}
                strokeDasharray="6 4"
                className="target-line"
                label={{
                  value: `target ${formatTarget(target)}`,
                  position: 'insideTopRight',
                  fill: COLORS.target,
                }}
              />
            )}
            <Line
              dataKey="ratio"
              type="linear"
              stroke={COLORS.ratio}
              strokeWidth={2}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
              name="good ratio"
            />
            <Tooltip
              labelFormatter={(v) => formatTime(Number(v))}
              formatter={(v) => (typeof v === 'number' ? formatPercent(v, 3) : String(v))}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {target === undefined ? null : (
        <div
          className="chart-box"
          role="img"
          aria-label={`Error budget consumed over time, ${formatPercent(last.consumed, 1)} at the end.`}
          data-testid="budget-chart"
        >
          <p className="chart-subtitle" aria-hidden="true">
            Error budget consumed (cumulative; 100% = spent)
          </p>
          <ResponsiveContainer width="100%" height={160}>
            <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
              <CartesianGrid stroke="#d4d4d8" strokeDasharray="3 3" />
              <XAxis
                dataKey="tMs"
                type="number"
                scale="time"
                domain={[from, to]}
                tickFormatter={(v: number) => formatTick(v, span)}
                stroke="#3f3f46"
              />
              <YAxis
                tickFormatter={(v: number) => formatPercent(v, 0)}
                width={72}
                stroke="#3f3f46"
              />
              <ReferenceLine y={1} stroke={COLORS.target} strokeDasharray="6 4" />
              <Area
                dataKey="consumedPct"
                type="linear"
                stroke={COLORS.budget}
                fill={COLORS.budget}
                fillOpacity={0.2}
                isAnimationActive={false}
                name="budget consumed"
              />
              <Tooltip
                labelFormatter={(v) => formatTime(Number(v))}
                formatter={(v) => (typeof v === 'number' ? formatPercent(v, 1) : String(v))}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
      <details className="data-table">
        <summary>Show the data as a table</summary>
        <div className="table-wrap">
          <table>
            <caption>{title}: steps with events</caption>
            <thead>
              <tr>
                <th scope="col">Step start</th>
                <th scope="col">Good</th>
                <th scope="col">Total</th>
                <th scope="col">Ratio</th>
                <th scope="col">Budget consumed</th>
              </tr>
            </thead>
            <tbody>
              {points
                .filter((p) => p.total > 0)
                .slice(-500)
                .map((p) => (
                  <tr key={p.tMs}>
                    <td>{formatTime(p.tMs)}</td>
                    <td>{p.good}</td>
                    <td>{p.total}</td>
                    <td>{p.ratio === null ? '–' : formatPercent(p.ratio, 3)}</td>
                    <td>{formatPercent(p.consumed, 1)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
        {shown.length === 0 ? null : (
          <ul>
            {shown.map((a) => (
              <li key={`${a.severity}-${a.startMs}`}>
                {a.severity} alert from {formatTime(a.startMs)} to {formatTime(a.endMs)}
              </li>
            ))}
          </ul>
        )}
      </details>
    </figure>
  );
}
