/** Compares PromQL expressions numerically: same text modulo whitespace, numbers within 1e-9. */
const NUMBER = /(?<![A-Za-z_:0-9.])\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![A-Za-z_0-9.])/g;

/** Splits an expression into its non-numeric skeleton and its numbers. */
export function splitNumbers(expr: string): { skeleton: string; numbers: number[] } {
  const numbers: number[] = [];
  const skeleton = expr.replace(/\s+/g, '').replace(NUMBER, (m) => {
    numbers.push(Number(m));
    return '#';
  });
  return { skeleton, numbers };
}

/** Null when equal; otherwise a description of the first difference. */
export function diffExpr(a: string, b: string): string | null {
  const x = splitNumbers(a);
  const y = splitNumbers(b);
  if (x.skeleton !== y.skeleton) return `text differs:\n${x.skeleton}\n${y.skeleton}`;
  for (let i = 0; i < x.numbers.length; i++) {
    const p = x.numbers[i]!;
    const q = y.numbers[i]!;
    if (Math.abs(p - q) > 1e-9 * Math.max(1, Math.abs(p), Math.abs(q)))
      return `number ${p} != ${q}`;
  }
  return null;
}
