/** Validation steps (promtool, schema, scan) and the policy guard's verdict. */
import type { ValidationReport } from '../api/types.ts';

/** The report as two lists; pass/fail is written out, not shown by colour alone. */
export function ValidationReportView({ report }: { readonly report: ValidationReport }) {
  return (
    <>
      <p className={report.ok ? 'verdict ok' : 'verdict bad'} data-testid="validation-verdict">
        {report.ok ? '✔ All validation steps passed' : '✘ Validation failed'}
      </p>
      <table className="steps">
        <caption>Validation steps</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Result</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {report.steps.map((s) => (
            <tr key={s.name} className={s.skipped === true ? 'skipped' : s.ok ? 'ok' : 'bad'}>
              <th scope="row">{s.name}</th>
              <td>{s.skipped === true ? '– skipped' : s.ok ? '✔ passed' : '✘ failed'}</td>
              <td>{s.detail === undefined ? '' : <pre className="detail">{s.detail}</pre>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Policy</h3>
      <p className={report.policy.allowed ? 'verdict ok' : 'verdict bad'}>
        {report.policy.allowed ? '✔ Allowed by policy' : '✘ Denied by policy'}
      </p>
      {report.policy.reasons.length === 0 ? null : (
        <ul>
          {report.policy.reasons.map((r, i) => (
            <li key={i}>
              <code>{r.rule}</code>: {r.message}
            </li>
          ))}
        </ul>
      )}
      {report.policy.requiredApprovers.length === 0 ? null : (
        <p>Still needs approval from: {report.policy.requiredApprovers.join(', ')}</p>
      )}
    </>
  );
}
