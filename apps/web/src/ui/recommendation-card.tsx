/** One SLO recommendation: target, confidence, rationale, backtest, and the approve/reject form. */
import { useId, useState, type SyntheticEvent } from 'react';
import type { RecommendationView } from '../api/types.ts';
import type { Result, WebError } from '../errors.ts';
import {
  formatConfidence,
  formatPercent,
  formatTarget,
  formatTime,
  nines,
} from '../core/format.ts';
import { ErrorAlert } from './error-alert.tsx';

/** Props of {@link RecommendationCard}. */
export interface RecommendationCardProps {
  readonly rec: RecommendationView;
  readonly onApprove: (id: string, reason?: string) => Promise<Result<RecommendationView>>;
  readonly onReject: (id: string, reason: string) => Promise<Result<RecommendationView>>;
  /** Called with the updated recommendation after a decision. */
  readonly onDecided: (rec: RecommendationView) => void;
}

const STATUS_LABEL: Record<RecommendationView['status'], string> = {
  proposed: 'Proposed — awaiting review',
  approved: 'Approved',
  rejected: 'Rejected',
  superseded: 'Superseded',
};

/** A recommendation with its decision controls. */
export function RecommendationCard({
  rec,
  onApprove,
  onReject,
  onDecided,
}: RecommendationCardProps) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const [busy, setBusy] = useState<'approve' | 'reject' | undefined>();
  const [error, setError] = useState<{ e: WebError; action: string } | undefined>();
  const decidable = rec.status === 'proposed';

  const act = (kind: 'approve' | 'reject') => (e?: SyntheticEvent) => {
    e?.preventDefault();
    if (kind === 'reject' && reason.trim() === '') {
      setMissingReason(true);
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setMissingReason(false);
    setBusy(kind);
    setError(undefined);
    const r = reason.trim();
    const call =
      kind === 'approve' ? onApprove(rec.id, r === '' ? undefined : r) : onReject(rec.id, r);
    void call.then((res) => {
      setBusy(undefined);
      if (res.ok) {
        setReason('');
        onDecided(res.value);
      } else {
        setError({ e: res.error, action: kind === 'approve' ? 'Approving' : 'Rejecting' });
      }
    });
  };

  return (
    <article
      className="card recommendation"
      aria-labelledby={`${id}-title`}
      data-status={rec.status}
      data-recommendation-id={rec.id}
    >
      <h3 id={`${id}-title`}>
        {rec.sliName}: {formatTarget(rec.target)} over {rec.window}
      </h3>
      <p className={`status status-${rec.status}`}>
        <span className="visually-hidden">Status: </span>
        {STATUS_LABEL[rec.status]}
        {rec.decidedBy === null ? '' : ` by ${rec.decidedBy}`}
        {rec.decidedAtMs === null ? '' : ` at ${formatTime(rec.decidedAtMs)}`}
      </p>
      <dl className="facts">
        <div>
          <dt>Target</dt>
          <dd>
            {formatTarget(rec.target)} ({nines(rec.target)} nines)
          </dd>
        </div>
        <div>
          <dt>Window</dt>
          <dd>{rec.window}</dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>{formatConfidence(rec.confidence)}</dd>
        </div>
        <div>
          <dt>Backtest budget used</dt>
          <dd>{formatPercent(rec.backtest.budgetConsumed, 1)}</dd>
        </div>
        <div>
          <dt>Backtest alerts</dt>
          <dd>
            {rec.backtest.pages} pages, {rec.backtest.tickets} tickets
          </dd>
        </div>
        <div>
          <dt>Service</dt>
          <dd>{rec.service}</dd>
        </div>
      </dl>
      <h4>Rationale</h4>
      <p className="rationale">{rec.rationale}</p>
      {decidable ? (
        <form className="decision" onSubmit={act('approve')} noValidate>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason (required to reject, optional to approve)</label>
            <textarea
              id={`${id}-reason`}
              rows={2}
              value={reason}
              aria-invalid={missingReason}
              aria-describedby={missingReason ? `${id}-reason-err` : undefined}
              onChange={(e) => {
                setReason(e.target.value);
              }}
            />
            {missingReason ? (
              <p id={`${id}-reason-err`} className="field-error">
                A reason is required to reject a recommendation.
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy !== undefined}>
              {busy === 'approve' ? 'Approving…' : `Approve ${rec.sliName}`}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy !== undefined}
              onClick={() => {
                act('reject')();
              }}
            >
              {busy === 'reject' ? 'Rejecting…' : `Reject ${rec.sliName}`}
            </button>
          </div>
        </form>
      ) : null}
      {error === undefined ? null : <ErrorAlert error={error.e} action={error.action} />}
    </article>
  );
}
