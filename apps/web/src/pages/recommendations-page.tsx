/** Every recommendation, by review status, with a shortcut to generate artifacts for the approved. */
import { useId, useState } from 'react';
import type { RecommendationStatus } from '../api/types.ts';
import type { WebError } from '../errors.ts';
import { formatConfidence, formatTarget, formatTime } from '../core/format.ts';
import { toHref, type Route } from '../core/routes.ts';
import { useApi } from '../ui/api-context.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { useResult } from '../ui/use-result.ts';

const STATUSES: readonly RecommendationStatus[] = [
  'proposed',
  'approved',
  'rejected',
  'superseded',
];

/** The recommendations page. */
export function RecommendationsPage({ navigate }: { readonly navigate: (r: Route) => void }) {
  const { api } = useApi();
  const id = useId();
  const [status, setStatus] = useState<RecommendationStatus | ''>('');
  const recs = useResult(`recommendations:${status}`, () =>
    api.recommendations(status === '' ? {} : { status }),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WebError | undefined>();

  const generateAll = () => {
    setBusy(true);
    setError(undefined);
    void api.generate().then((r) => {
      setBusy(false);
      if (r.ok) navigate({ page: 'artifact', id: r.value.id });
      else setError(r.error);
    });
  };

  return (
    <>
      <PageHeading>Recommendations</PageHeading>
      <div className="toolbar">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as RecommendationStatus | '');
          }}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" className="primary" onClick={generateAll} disabled={busy}>
          {busy ? 'Generating…' : 'Generate artifacts for all approved'}
        </button>
      </div>
      {error === undefined ? null : <ErrorAlert error={error} action="Generating artifacts" />}
      {recs.state.loading ? (
        <Loading what="recommendations" />
      ) : !recs.state.ok ? (
        <ErrorAlert error={recs.state.error} action="Loading the recommendations" />
      ) : recs.state.value.length === 0 ? (
        <p>No recommendations{status === '' ? '' : ` with status ${status}`}.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{recs.state.value.length} recommendations</caption>
            <thead>
              <tr>
                <th scope="col">SLI</th>
                <th scope="col">Service</th>
                <th scope="col">Target</th>
                <th scope="col">Confidence</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {recs.state.value.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <a href={toHref({ page: 'journey', id: r.journeyId })}>{r.sliName}</a>
                  </th>
                  <td>{r.service}</td>
                  <td>
                    {formatTarget(r.target)} / {r.window}
                  </td>
                  <td>{formatConfidence(r.confidence)}</td>
                  <td>
                    <span className={`status status-${r.status}`}>{r.status}</span>
                  </td>
                  <td>{formatTime(r.createdAtMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
