import { toSafeKey } from '../values.ts';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

/**
 * Parses a Prometheus/Loki label set such as `{job="api", level="error"}` (Go-style and JSON
 * escapes inside values). Returns undefined for malformed text.
 */
export function parseLabelSet(text: string): Record<string, string> | undefined {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) return undefined;
  const out: Record<string, string> = {};
  let i = 1;
  const end = s.length - 1;
  const skipSpace = () => {
    while (i < end && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n')) i++;
  };
  skipSpace();
  while (i < end) {
    const nameStart = i;
    while (i < end && /[A-Za-z0-9_.:]/.test(s[i]!)) i++;
    const name = s.slice(nameStart, i);
    if (name === '' || /^[0-9]/.test(name)) return undefined;
    skipSpace();
    if (s[i] !== '=') return undefined;
    i++;
    skipSpace();
    if (s[i] !== '"') return undefined;
    i++;
    let value = '';
    for (;;) {
      if (i >= end) return undefined;
      const c = s[i++]!;
      if (c === '"') break;
      if (c === '\\') {
        if (i >= end) return undefined;
        const e = s[i++]!;
        if (e === 'u') {
          const hex = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
          value += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else value += ESCAPES[e] ?? e;
      } else value += c;
    }
    out[toSafeKey(name)] = value;
    skipSpace();
    if (s[i] === ',') {
      i++;
      skipSpace();
    } else if (i < end) return undefined;
  }
  return out;
}

/** Renders labels in Loki's canonical form: names sorted, values quoted and escaped. */
export function formatLabelSet(labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}
