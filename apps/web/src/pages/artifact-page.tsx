/** A generated artifact set: its diff, its validation, and the pull request. */
import { useState } from 'react';
import type { PublishedPullRequest, ValidationReport } from '../api/types.ts';
import type { WebError } from '../errors.ts';
import { formatTime } from '../core/format.ts';
import { useApi } from '../ui/api-context.tsx';
import { DiffFile } from '../ui/diff-view.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { useResult } from '../ui/use-result.ts';
import { ValidationReportView } from '../ui/validation-report.tsx';

/** The artifact page. */
export function ArtifactPage({ id }: { readonly id: string }) {
  const { api } = useApi();
  const artifact = useResult(`artifact:${id}`, () => api.artifact(id));
  const diff = useResult(`diff:${id}`, () => api.diff(id));
  const [report, setReport] = useState<ValidationReport | undefined>();
  const [pr, setPr] = useState<PublishedPullRequest | undefined>();
  const [busy, setBusy] = useState<'validate' | 'pr' | undefined>();
  const [error, setError] = useState<{ e: WebError; action: string } | undefined>();

  const validate = () => {
    setBusy('validate');
    setError(undefined);
    void api.validate(id).then((r) => {
      setBusy(undefined);
      if (r.ok) setReport(r.value);
      else setError({ e: r.error, action: 'Validating' });
    });
  };
  const openPr = () => {
    setBusy('pr');
    setError(undefined);
    void api.openPullRequest(id).then((r) => {
      setBusy(undefined);
      if (r.ok) setPr(r.value);
      else setError({ e: r.error, action: 'Opening the pull request' });
    });
  };

  if (artifact.state.loading) {
    return (
      <>
        <PageHeading>Artifacts</PageHeading>
        <Loading what="the artifacts" />
      </>
    );
  }
  if (!artifact.state.ok) {
    return (
      <>
        <PageHeading>Artifacts</PageHeading>
        <ErrorAlert error={artifact.state.error} action="Loading the artifacts" />
      </>
    );
  }
  const a = artifact.state.value;
  const shown = report ?? a.report;
  const blocked = !shown.ok || !shown.policy.allowed;

  return (
    <>
      <PageHeading>Artifacts {a.id.slice(0, 12)}</PageHeading>
      <p className="muted">
        {a.files.length} files generated at {formatTime(a.createdAtMs)} for{' '}
        {a.recommendationIds.length} recommendation{a.recommendationIds.length === 1 ? '' : 's'}.
      </p>

      <section aria-labelledby="art-validation">
        <h2 id="art-validation">Validation: promtool, schema, scan and policy</h2>
        <ValidationReportView report={shown} />
      </section>

      <section aria-labelledby="art-pr">
        <h2 id="art-pr">Pull request</h2>
        <div className="actions">
          <button type="button" onClick={validate} disabled={busy !== undefined}>
            {busy === 'validate' ? 'Validating…' : 'Re-run validation'}
          </button>
          <button
            type="button"
            className="primary"
            onClick={openPr}
            disabled={busy !== undefined}
            aria-describedby="pr-help"
          >
            {busy === 'pr' ? 'Publishing…' : 'Open or update the pull request'}
          </button>
        </div>
        <p id="pr-help" className="muted small">
          {blocked
            ? 'Validation or policy blocks this change; the API will refuse the pull request.'
            : 'Commits the files to a branch and opens (or updates) its pull request.'}
        </p>
        {error === undefined ? null : <ErrorAlert error={error.e} action={error.action} />}
        {pr === undefined ? null : (
          <div className="alert alert-ok" role="status" data-testid="pull-request">
            <p className="alert-title">Pull request {pr.updated ? 'updated' : 'opened'}</p>
            <dl className="facts">
              <div>
                <dt>Branch</dt>
                <dd>
                  <code data-testid="pr-branch">{pr.branch}</code>
                </dd>
              </div>
              {pr.commit === undefined ? null : (
                <div>
                  <dt>Commit</dt>
                  <dd>
                    <code>{pr.commit.slice(0, 12)}</code>
                  </dd>
                </div>
              )}
              <div>
                <dt>Link</dt>
                <dd>
                  {pr.url.startsWith('http') ? (
                    <a href={pr.url} rel="noreferrer" target="_blank">
                      {pr.url}
                    </a>
                  ) : (
                    <code data-testid="pr-url">{pr.url}</code>
                  )}
                </dd>
              </div>
            </dl>
          </div>
        )}
      </section>

      <section aria-labelledby="art-diff">
        <h2 id="art-diff">Changes against the base branch</h2>
        {diff.state.loading ? (
          <Loading what="the diff" />
        ) : !diff.state.ok ? (
          <ErrorAlert error={diff.state.error} action="Loading the diff" />
        ) : (
          diff.state.value.files.map((f, i) => <DiffFile key={f.path} file={f} open={i === 0} />)
        )}
      </section>
    </>
  );
}
