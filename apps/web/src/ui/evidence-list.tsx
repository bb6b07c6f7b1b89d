/** The journey's top error templates (redacted at ingestion) with their sample references. */
import type { Evidence } from '../api/types.ts';
import { formatCount, formatTime, severityName } from '../core/format.ts';

/** The evidence list; templates are shown as code so masked parts (`<num>`, `<email>`) stay visible. */
export function EvidenceList({ evidence }: { readonly evidence: readonly Evidence[] }) {
  if (evidence.length === 0) return <p>No error templates were found for this journey.</p>;
  return (
    <ol className="evidence">
      {evidence.map((e) => (
        <li key={`${e.service}-${e.fingerprint}`} className="card">
          <pre className="template">
            <code>{e.template}</code>
          </pre>
          <dl className="facts">
            <div>
              <dt>Service</dt>
              <dd>{e.service}</dd>
            </div>
            <div>
              <dt>Events</dt>
              <dd>{formatCount(e.eventCount)}</dd>
            </div>
            <div>
              <dt>Max severity</dt>
              <dd>{severityName(e.maxSeverity)}</dd>
            </div>
            <div>
              <dt>Last seen</dt>
              <dd>{formatTime(e.lastSeenMs)}</dd>
            </div>
            <div>
              <dt>Fingerprint</dt>
              <dd>
                <code>{e.fingerprint.slice(0, 16)}</code>
              </dd>
            </div>
          </dl>
          {e.sampleRefs.length === 0 ? null : (
            <details>
              <summary>{e.sampleRefs.length} redacted samples</summary>
              <ul className="trace-list">
                {e.sampleRefs.map((s) => (
                  <li key={s}>
                    <code>{s}</code>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
