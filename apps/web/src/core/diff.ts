/**
 * Unified-diff parsing for display: a patch's hunks and numbered lines. Pure. Lines are marked by
 * kind (and shown with `+`/`−` signs, not by colour alone).
 */

/** Kind of a displayed diff line. */
export type DiffLineKind = 'add' | 'del' | 'context' | 'hunk' | 'meta';

/** One displayed line of a patch. */
export interface DiffLine {
  readonly kind: DiffLineKind;
  /** Line number on the base side, for `del` and `context`. */
  readonly oldNo?: number;
  /** Line number on the new side, for `add` and `context`. */
  readonly newNo?: number;
  /** The line's text without its `+`/`-`/` ` prefix. */
  readonly text: string;
}

/** A parsed patch with its counts. */
export interface ParsedPatch {
  readonly lines: readonly DiffLine[];
  readonly added: number;
  readonly removed: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/**
 * Parses a unified diff (`---`/`+++` headers, `@@` hunks). Text that is not a patch at all is
 * shown as added lines, so a new file given as plain content still renders.
 */
export function parsePatch(patch: string): ParsedPatch {
  const raw = patch.replace(/\r\n/g, '\n').split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  const looksLikePatch = raw.some((l) => HUNK.test(l));
  if (!looksLikePatch) {
    raw.forEach((text, i) => lines.push({ kind: 'add', newNo: i + 1, text }));
    return { lines, added: raw.length, removed: 0 };
  }
  for (const line of raw) {
    const h = HUNK.exec(line);
    if (h) {
      oldNo = Number(h[1]);
      newNo = Number(h[3]);
      inHunk = true;
      lines.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!inHunk) {
      lines.push({ kind: 'meta', text: line });
      continue;
    }
    const sign = line[0];
    const text = line.slice(1);
    if (sign === '+') {
      lines.push({ kind: 'add', newNo: newNo++, text });
      added++;
    } else if (sign === '-') {
      lines.push({ kind: 'del', oldNo: oldNo++, text });
      removed++;
    } else if (sign === '\\') {
      lines.push({ kind: 'meta', text: line });
    } else {
      lines.push({ kind: 'context', oldNo: oldNo++, newNo: newNo++, text });
    }
  }
  return { lines, added, removed };
}

/** The sign shown before a line of each kind (a real minus sign for deletions). */
export function signOf(kind: DiffLineKind): string {
  return kind === 'add' ? '+' : kind === 'del' ? '−' : ' ';
}

/** A summary for a file heading: `+12 −3`, or `no changes`. */
export function patchSummary(p: ParsedPatch): string {
  return p.added === 0 && p.removed === 0 ? 'no changes' : `+${p.added} −${p.removed}`;
}
