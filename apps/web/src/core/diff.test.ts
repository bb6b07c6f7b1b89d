import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePatch, patchSummary, signOf } from './diff.ts';

const PATCH = `--- a/rules/checkout.yaml
+++ b/rules/checkout.yaml
@@ -1,4 +1,5 @@
 groups:
-  - name: old
+  - name: checkout
+    interval: 30s
     rules:
       - record: x
\\ No newline at end of file
@@ -10,2 +11,2 @@ tail
 a
-b
+c
`;

describe('parsePatch', () => {
  it('numbers base and new lines through hunks', () => {
    const p = parsePatch(PATCH);
    expect(p.added).toBe(3);
    expect(p.removed).toBe(2);
    expect(p.lines.map((l) => l.kind)).toEqual([
      'meta',
      'meta',
      'hunk',
      'context',
      'del',
      'add',
      'add',
      'context',
      'context',
      'meta',
      'hunk',
      'context',
      'del',
      'add',
    ]);
    expect(p.lines[4]).toEqual({ kind: 'del', oldNo: 2, text: '  - name: old' });
    expect(p.lines[6]).toEqual({ kind: 'add', newNo: 3, text: '    interval: 30s' });
    expect(p.lines[8]).toEqual({ kind: 'context', oldNo: 4, newNo: 5, text: '      - record: x' });
    expect(p.lines[12]).toEqual({ kind: 'del', oldNo: 11, text: 'b' });
    expect(p.lines[13]).toEqual({ kind: 'add', newNo: 12, text: 'c' });
    expect(patchSummary(p)).toBe('+3 −2');
  });

  it('shows plain content (a new file without hunks) as added lines', () => {
    const p = parsePatch('a\nb\r\nc\n');
    expect(p.lines).toEqual([
      { kind: 'add', newNo: 1, text: 'a' },
      { kind: 'add', newNo: 2, text: 'b' },
      { kind: 'add', newNo: 3, text: 'c' },
    ]);
    expect(parsePatch('')).toEqual({ lines: [], added: 0, removed: 0 });
    expect(patchSummary(parsePatch(''))).toBe('no changes');
  });

  it('counts exactly the + and - lines of any generated hunk', () => {
    const line = fc.tuple(
      fc.constantFrom('+', '-', ' '),
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 12 })
        .filter((s) => !s.includes('\n') && !s.includes('\r')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const body = lines.map(([s, t]) => s + t).join('\n');
        const p = parsePatch(`@@ -1 +1 @@\n${body}`);
        expect(p.added).toBe(lines.filter(([s]) => s === '+').length);
        expect(p.removed).toBe(lines.filter(([s]) => s === '-').length);
        expect(p.lines.filter((l) => l.kind !== 'hunk').map((l) => l.text)).toEqual(
          lines.map(([, t]) => t),
        );
        const news = p.lines.flatMap((l) => (l.newNo === undefined ? [] : [l.newNo]));
        expect(news).toEqual(news.map((_, i) => i + 1));
      }),
    );
  });

  it('signs lines without relying on colour', () => {
    expect(signOf('add')).toBe('+');
    expect(signOf('del')).toBe('−');
    expect(signOf('context')).toBe(' ');
  });
});
