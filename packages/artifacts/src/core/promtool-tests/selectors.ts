/** A label matcher of a PromQL vector selector. */
export interface Matcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A PromQL vector selector: a metric name and its matchers. */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);
// Braces inside quoted label values (`http_route="/products/{id}"`) do not end the selector.
const WITH_BRACES = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g;
const BARE = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\[/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;

/** Finds the vector selectors of a PromQL query (with `{{.window}}` already replaced). */
export function findSelectors(query: string): readonly Selector[] {
  const out: Selector[] = [];
  for (const m of query.matchAll(WITH_BRACES)) {
    if (KEYWORDS.has(m[1]!)) continue;
    const matchers = [...m[2]!.matchAll(MATCHER)].map((x) => ({
      name: x[1]!,
      op: x[2] as Matcher['op'],
      value: x[3]!.replace(/\\(.)/g, '$1'),
    }));
    out.push({ metric: m[1]!, matchers });
  }
  const braced = query.replace(WITH_BRACES, ' ');
  for (const m of braced.matchAll(BARE)) out.push({ metric: m[1]!, matchers: [] });
  return out;
}

/** Prometheus regex matchers are fully anchored. */
function anchored(re: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${re})$`, 'u');
  } catch {
    return undefined;
  }
}

/** True when `value` satisfies the matcher. */
export function matches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchored(m.value)?.test(value) ?? false;
    case '!~':
      return !(anchored(m.value)?.test(value) ?? true);
  }
}

/** One string the regex is likely to match: first alternatives, minimum repeats, `.` as `0`. */
export function sampleRegex(re: string): string {
  let out = '';
  let depth = 0;
  let skipping = -1;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const n = re[i + 1] ?? '';
      i++;
      if (skipping < 0) out += n === 'd' ? '0' : n === 'w' ? 'a' : n === 's' ? ' ' : n;
      continue;
    }
    if (c === '(') {
      depth++;
      if (re[i + 1] === '?' && re[i + 2] === ':') i += 2;
      continue;
    }
    if (c === ')') {
      if (skipping === depth) skipping = -1;
      depth--;
      continue;
    }
    if (c === '|') {
      if (skipping < 0) skipping = depth;
      continue;
    }
    if (skipping >= 0) continue;
    if (c === '[') {
      const end = re.indexOf(']', i + 2);
      const body = re.slice(i + 1, end < 0 ? re.length : end);
      out += body.startsWith('^') ? 'x' : (body.replace(/^\\/, '')[0] ?? 'a');
      i = end < 0 ? re.length : end;
      continue;
    }
    if (c === '*' || c === '?') {
      out = out.slice(0, -1);
      continue;
    }
    if (c === '+') continue;
    if (c === '{') {
      const end = re.indexOf('}', i);
      const n = Number(re.slice(i + 1, end).split(',')[0]);
      const last = out.slice(-1);
      out = out.slice(0, -1) + last.repeat(Number.isFinite(n) ? n : 1);
      i = end < 0 ? re.length : end;
      continue;
    }
    out += c === '.' ? '0' : c === '^' || c === '$' ? '' : c;
  }
  return out;
}

const FILLERS = ['200', 'ok', 'x', '0', 'GET', 'a', 'true', 'false', '1', 'none'];

/**
 * A value for `label` satisfying every matcher in `must` and violating `mustNot` (when given);
 * undefined when none of the candidates works.
 */
export function pickValue(must: readonly Matcher[], mustNot?: Matcher): string | undefined {
  const candidates: string[] = [];
  for (const m of must) {
    if (m.op === '=') candidates.push(m.value);
    if (m.op === '=~') candidates.push(sampleRegex(m.value));
  }
  if (mustNot?.op === '!=' || mustNot?.op === '!~') {
    candidates.push(mustNot.op === '!=' ? mustNot.value : sampleRegex(mustNot.value));
  }
  candidates.push(...FILLERS);
  return candidates.find(
    (v) => must.every((m) => matches(m, v)) && (mustNot === undefined || !matches(mustNot, v)),
  );
}
