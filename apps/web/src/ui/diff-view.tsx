/** A file's unified diff as a table: line numbers, a `+`/`−` sign column, and the text. */
import { useMemo } from 'react';
import type { ArtifactDiffFile } from '../api/types.ts';
import { parsePatch, patchSummary, signOf } from '../core/diff.ts';

const KIND_LABEL = {
  add: 'added',
  del: 'removed',
  context: 'unchanged',
  hunk: '',
  meta: '',
} as const;

/** One file of an artifact diff, collapsible. */
export function DiffFile({
  file,
  open,
}: {
  readonly file: ArtifactDiffFile;
  readonly open: boolean;
}) {
  const parsed = useMemo(() => parsePatch(file.patch), [file.patch]);
  return (
    <details className="diff-file" open={open}>
      <summary>
        <code>{file.path}</code> <span className={`tag tag-${file.status}`}>{file.status}</span>{' '}
        <span className="muted small">{patchSummary(parsed)}</span>
      </summary>
      {parsed.lines.length === 0 ? (
        <p className="muted">No differences from the base branch.</p>
      ) : (
        <div className="table-wrap">
          <table className="diff">
            <caption className="visually-hidden">Changes to {file.path}</caption>
            <thead className="visually-hidden">
              <tr>
                <th scope="col">Base line</th>
                <th scope="col">New line</th>
                <th scope="col">Change</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            <tbody>
              {parsed.lines.map((l, i) =>
                l.kind === 'hunk' || l.kind === 'meta' ? (
                  <tr key={i} className={`diff-${l.kind}`}>
                    <td colSpan={4}>
                      <code>{l.text}</code>
                    </td>
                  </tr>
                ) : (
                  <tr key={i} className={`diff-${l.kind}`}>
                    <td className="ln">{l.oldNo ?? ''}</td>
                    <td className="ln">{l.newNo ?? ''}</td>
                    <td className="sign">
                      <span aria-hidden="true">{signOf(l.kind)}</span>
                      <span className="visually-hidden">{KIND_LABEL[l.kind]}</span>
                    </td>
                    <td className="text">
                      <code>{l.text}</code>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
