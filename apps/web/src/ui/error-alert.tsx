/** An API error as the user sees it: what failed, the API's message, and the field it named. */
import { errorHeadline, type WebError } from '../errors.ts';

/** Props of {@link ErrorAlert}. */
export interface ErrorAlertProps {
  readonly error: WebError;
  /** What the console was doing, e.g. `Approving the recommendation`. */
  readonly action?: string;
}

const HINTS: Partial<Record<WebError['code'], string>> = {
  UNAUTHORIZED: 'The API key was not accepted. Sign out and enter a valid key.',
  FORBIDDEN:
    'The API key lacks the scope this needs (write for decisions, artifacts and pull requests).',
  RATE_LIMITED: 'Too many requests: wait a moment and try again.',
  NETWORK: 'Check that the API is running and reachable.',
};

/** A `role="alert"` box, announced by screen readers when it appears. */
export function ErrorAlert({ error, action }: ErrorAlertProps) {
  const hint = HINTS[error.code];
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{errorHeadline(error, action)}</p>
      <p className="alert-message">{error.message}</p>
      {error.field === undefined ? null : (
        <p>
          Field: <code className="error-field">{error.field}</code>
        </p>
      )}
      {hint === undefined ? null : <p className="alert-hint">{hint}</p>}
    </div>
  );
}
