/** The sign-in form: the API key is typed in and kept in sessionStorage for this tab only. */
import { useId, useState, type SyntheticEvent } from 'react';
import type { WebError } from '../errors.ts';
import { ErrorAlert } from './error-alert.tsx';
import { PageHeading } from './page-heading.tsx';

/** Props of {@link KeyForm}. */
export interface KeyFormProps {
  /** Checks the key against the API; resolves to an error to show, or undefined on success. */
  readonly onSubmit: (key: string) => Promise<WebError | undefined>;
}

/** Asks for the API key. */
export function KeyForm({ onSubmit }: KeyFormProps) {
  const id = useId();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WebError | undefined>();
  const [empty, setEmpty] = useState(false);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (key.trim() === '') {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    setBusy(true);
    void onSubmit(key).then((err) => {
      setBusy(false);
      setError(err);
    });
  };

  return (
    <section className="card narrow">
      <PageHeading>Sign in to the review console</PageHeading>
      <p>
        Enter an API key. It is kept in this browser tab only (sessionStorage) and sent with every
        request as a bearer token. Create one with <code>slo-scout up</code> or{' '}
        <code>POST /api/v1/keys</code>.
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-key`}>API key</label>
          <input
            id={`${id}-key`}
            name="api-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            aria-invalid={empty}
            aria-describedby={empty ? `${id}-err` : undefined}
            onChange={(e) => {
              setKey(e.target.value);
            }}
          />
          {empty ? (
            <p id={`${id}-err`} className="field-error">
              Enter the API key.
            </p>
          ) : null}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      {error === undefined ? null : <ErrorAlert error={error} action="Signing in" />}
    </section>
  );
}
