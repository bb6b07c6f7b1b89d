/** Services and the journeys discovered in their traffic. */
import { useId } from 'react';
import type { Journey } from '../api/types.ts';
import { describeKey, formatCount, formatPercent } from '../core/format.ts';
import { toHref } from '../core/routes.ts';
import { useApi } from '../ui/api-context.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { useResult } from '../ui/use-result.ts';

/** Props of {@link JourneysPage}. */
export interface JourneysPageProps {
  readonly service?: string;
  readonly onServiceChange: (service: string | undefined) => void;
}

function ShareBar({ share }: { readonly share: number }) {
  const pct = Math.max(0, Math.min(1, share)) * 100;
  return (
    <span className="share">
      <span className="share-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {formatPercent(share, 1)}
    </span>
  );
}

function JourneyRow({ j }: { readonly j: Journey }) {
  return (
    <tr>
      <th scope="row">
        <a href={toHref({ page: 'journey', id: j.id })}>{j.name}</a>
        <div className="muted small">{describeKey(j.key)}</div>
      </th>
      <td>{j.entryService}</td>
      <td>
        <ShareBar share={j.trafficShare} />
      </td>
      <td>
        {formatCount(j.evidence.traceCount)}
        <div className="muted small">
          {formatCount(j.evidence.errorCount)} error{j.evidence.errorCount === 1 ? '' : 's'}
        </div>
      </td>
      <td>
        <ul className="inline-list">
          {j.evidence.services.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </td>
      <td>
        {j.critical ? <span className="tag tag-critical">critical</span> : null}
        {j.userFacing ? <span className="tag">user-facing</span> : null}
      </td>
      <td>
        <ul className="trace-list">
          {j.evidence.exampleTraceIds.slice(0, 3).map((t) => (
            <li key={t}>
              <code>{t}</code>
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

/** The journeys table, filterable by service. */
export function JourneysPage({ service, onServiceChange }: JourneysPageProps) {
  const { api } = useApi();
  const id = useId();
  const services = useResult('services', () => api.services());
  const status = useResult('status', () => api.status());
  const journeys = useResult(`journeys:${service ?? ''}`, () => api.journeys(service));

  const serviceNames =
    !services.state.loading && services.state.ok ? services.state.value.map((s) => s.name) : [];

  return (
    <>
      <PageHeading>Services and journeys</PageHeading>
      {status.state.loading ? null : status.state.ok ? (
        <dl className="stats" aria-label="Ingestion">
          <div>
            <dt>Services</dt>
            <dd>{formatCount(status.state.value.services)}</dd>
          </div>
          <div>
            <dt>Capsule windows</dt>
            <dd>
              {status.state.value.windowsEstimated ? '≈ ' : ''}
              {formatCount(status.state.value.windows)}
            </dd>
          </div>
          <div>
            <dt>Journey spans</dt>
            <dd>{formatCount(status.state.value.spans)}</dd>
          </div>
        </dl>
      ) : (
        <ErrorAlert error={status.state.error} action="Loading the ingest status" />
      )}
      <div className="toolbar">
        <label htmlFor={`${id}-svc`}>Service</label>
        <select
          id={`${id}-svc`}
          value={service ?? ''}
          onChange={(e) => {
            onServiceChange(e.target.value === '' ? undefined : e.target.value);
          }}
        >
          <option value="">All services</option>
          {[...new Set([...serviceNames, ...(service === undefined ? [] : [service])])].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {services.state.loading || services.state.ok ? null : (
        <ErrorAlert error={services.state.error} action="Loading the services" />
      )}
      {journeys.state.loading ? (
        <Loading what="journeys" />
      ) : !journeys.state.ok ? (
        <ErrorAlert error={journeys.state.error} action="Loading the journeys" />
      ) : journeys.state.value.length === 0 ? (
        <p>
          No journeys yet. Run an analysis (<code>slo-scout analyze</code>) first.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="journeys">
            <caption>
              {journeys.state.value.length} journeys
              {service === undefined ? '' : ` with entry service ${service}`}, by rank
            </caption>
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Entry service</th>
                <th scope="col">Traffic share</th>
                <th scope="col">Traces</th>
                <th scope="col">Services involved</th>
                <th scope="col">Flags</th>
                <th scope="col">Example traces</th>
              </tr>
            </thead>
            <tbody>
              {journeys.state.value.map((j) => (
                <JourneyRow key={j.id} j={j} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
