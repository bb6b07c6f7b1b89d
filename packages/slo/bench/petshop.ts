/**
 * PetShop benchmark: fit SLOs for PetSite on a normal baseline, then backtest every labelled issue
 * (does the page or ticket fire, how fast) and count false pages on the baselines.
 * Run: `npm run bench -w packages/slo`. Prints a Markdown table.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Journey, Sli } from '@slo-scout/schema';
import {
  backtest,
  fitTarget,
  parsePetshopMetrics,
  parsePetshopTarget,
  recommendLatencySlo,
  toLatencySeries,
  toPetshopAvailability,
  toPetshopLatency,
  type GoodTotalPoint,
  type PetshopMetrics,
} from '../src/index.ts';

const root = resolve(import.meta.dirname, '../../..');
const dataDir = resolve(root, '../shared/benchmarks/telemetry/petshop/dataset');
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const NODE = 'PetSite';
const STEP = 300_000;
const SUSTAIN_MS = 6 * 3_600_000;
/** Scenarios without a normal baseline borrow the one with the nearest traffic level. */
const BASELINE_OF: Record<string, string> = {
  low_traffic: 'low_traffic',
  high_traffic: 'high_traffic',
  temporal_traffic1: 'high_traffic',
  temporal_traffic2: 'low_traffic',
};

if (!existsSync(dataDir)) {
  console.log(`PetShop data not found at ${dataDir}; skipping the benchmark.`);
  process.exit(0);
}

const read = (p: string): PetshopMetrics => {
  const r = parsePetshopMetrics(readFileSync(p, 'utf8'));
  if (!r.ok) throw r.error;
  return r.value;
};

const journey: Journey = {
  id: 'petsite',
  name: 'PetSite',
  key: { type: 'span', service: NODE, spanName: NODE },
  entryService: NODE,
  trafficShare: 1,
  userFacing: true,
  critical: true,
  score: 1,
  evidence: { traceCount: 0, errorCount: 0, exampleTraceIds: [], services: [NODE] },
};
const latencySli: Sli = {
  id: 'petsite-latency',
  journeyId: 'petsite',
  kind: 'latency',
  name: 'petsite-latency',
  description: 'PetSite requests under the threshold',
  ratio: {
    good: 'sum(rate(petsite_latency_seconds_bucket{le="1"}[{{.window}}]))',
    total: 'sum(rate(petsite_latency_seconds_count[{{.window}}]))',
  },
  metric: 'petsite_latency_seconds',
};

interface Fitted {
  availability: number;
  latencyTarget: number;
  threshold: number;
  baseline: { availability: GoodTotalPoint[]; latency: GoodTotalPoint[] };
}

const fitted = new Map<string, Fitted>();
const baselineRows: string[] = [];
for (const name of ['low_traffic', 'high_traffic']) {
  const m = read(join(dataDir, name, 'noissue', 'metrics.csv'));
  const availability = toPetshopAvailability(m, NODE);
  const av = fitTarget(availability);
  const hist = toPetshopLatency(m, { component: NODE, bounds: BOUNDS });
  const lat = recommendLatencySlo({ journey, sli: latencySli, history: hist });
  if (!av.ok || !lat.ok) throw new Error(`${name}: no SLO could be fitted`);
  const threshold = lat.value.latency!.thresholdSeconds;
  const latency = toLatencySeries(hist, threshold);
  fitted.set(name, {
    availability: av.value.target,
    latencyTarget: lat.value.fit.target,
    threshold,
    baseline: { availability, latency },
  });
  const ba = backtest(availability, { target: av.value.target });
  const bl = backtest(latency, { target: lat.value.fit.target });
  const count = (r: typeof ba, s: string) => r.alerts.filter((a) => a.severity === s).length;
  baselineRows.push(
    `| ${name} | ${ba.quietDays.toFixed(2)} | ${pct(av.value.target)} (obs ${pct(av.value.observed)}, conf ${av.value.confidence}) | ${count(ba, 'page')} / ${count(ba, 'ticket')} | ${pct(lat.value.fit.target)} ≤ ${threshold} s (conf ${lat.value.fit.confidence}) | ${count(bl, 'page')} / ${count(bl, 'ticket')} | ${((ba.falsePages + bl.falsePages) / ba.quietDays).toFixed(2)} |`,
  );
}

const issueRows: string[] = [];
const tally = new Map<
  string,
  { n: number; recorded: number; sustained: number; ticket: number; delays: number[] }
>();
for (const scenario of Object.keys(BASELINE_OF)) {
  const fit = fitted.get(BASELINE_OF[scenario]!)!;
  for (const split of ['train', 'test']) {
    const dir = join(dataDir, scenario, split);
    if (!existsSync(dir)) continue;
    const issues = readdirSync(dir).sort(
      (a, b) => Number(a.split('_')[1]) - Number(b.split('_')[1]),
    );
    for (const issue of issues) {
      const t = parsePetshopTarget(readFileSync(join(dir, issue, 'target.json'), 'utf8'));
      if (!t.ok) throw t.error;
      const m = read(join(dir, issue, 'metrics.csv'));
      const kind = t.value.metric === 'availability' ? 'availability' : 'latency';
      const target = kind === 'availability' ? fit.availability : fit.latencyTarget;
      const series =
        kind === 'availability'
          ? toPetshopAvailability(m, NODE)
          : toLatencySeries(
              toPetshopLatency(m, { component: NODE, bounds: BOUNDS }),
              fit.threshold,
            );
      const base = kind === 'availability' ? fit.baseline.availability : fit.baseline.latency;
      const shift = series[0]!.tMs - STEP - base.at(-1)!.tMs;
      const history = base.map((p) => ({ ...p, tMs: p.tMs + shift }));
      const recorded = [...history, ...series];
      const after = series.filter((p) => p.tMs >= t.value.timestampMs - STEP);
      const sustained = [...recorded];
      for (let k = 0; sustained.at(-1)!.tMs < series.at(-1)!.tMs + SUSTAIN_MS; k++)
        sustained.push({ ...after[k % after.length]!, tMs: sustained.at(-1)!.tMs + STEP });
      const inc = { startMs: t.value.timestampMs, endMs: sustained.at(-1)!.tMs };
      const rRec = backtest(recorded, {
        target,
        incidents: [{ ...inc, endMs: series.at(-1)!.tMs }],
        graceMs: 0,
      });
      const rSus = backtest(sustained, { target, incidents: [inc], graceMs: 0 });
      const page = rSus.incidents[0]!.pageDelayMs;
      const ticket = rSus.incidents[0]!.ticketDelayMs;
      const key = `${scenario} ${kind}`;
      const tl = tally.get(key) ?? { n: 0, recorded: 0, sustained: 0, ticket: 0, delays: [] };
      tl.n++;
      if (rRec.incidents[0]!.pageDelayMs !== null) tl.recorded++;
      if (page !== null) {
        tl.sustained++;
        tl.delays.push(page);
      }
      if (ticket !== null) tl.ticket++;
      tally.set(key, tl);
      const before = series.filter((p) => p.tMs < t.value.timestampMs);
      const err = (ps: GoodTotalPoint[]) => {
        const tot = ps.reduce((s, p) => s + p.total, 0);
        return tot === 0 ? '–' : pct(1 - ps.reduce((s, p) => s + p.good, 0) / tot);
      };
      issueRows.push(
        `| ${scenario} | ${split}/${issue} | ${kind} | ${t.value.rootCause} | ${pct(target)} | ${err(before)} → ${err(after)} | ${rRec.incidents[0]!.pageDelayMs === null ? 'no' : `yes, ${min(rRec.incidents[0]!.pageDelayMs)}`} | ${page === null ? 'no' : `yes, ${min(page)}`} | ${ticket === null ? 'no' : `yes, ${min(ticket)}`} |`,
      );
    }
  }
}

console.log('### Baselines (normal traffic): fitted SLOs and alerts that would have fired\n');
console.log(
  '| baseline | days | availability target | avail. pages / tickets | latency SLO | latency pages / tickets | false pages per day |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of baselineRows) console.log(r);
console.log('\n### Detection summary per scenario (page = 14.4× over 1h&5m or 6× over 6h&30m)\n');
console.log(
  '| scenario, SLI | issues | paged within the recorded 20 min | paged if sustained 6 h | median page delay (sustained) | ticket if sustained 6 h |',
);
console.log('|---|---|---|---|---|---|');
for (const [k, v] of [...tally.entries()].sort()) {
  const d = [...v.delays].sort((a, b) => a - b);
  console.log(
    `| ${k} | ${v.n} | ${v.recorded} | ${v.sustained} | ${d.length === 0 ? '–' : min(d[(d.length - 1) >> 1]!)} | ${v.ticket} |`,
  );
}
console.log('\n### Per issue\n');
console.log(
  '| scenario | issue | SLI | root cause | target | bad share before → after | page (recorded) | page (sustained) | ticket (sustained) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of issueRows) console.log(r);

function pct(x: number): string {
  return `${(Math.round(x * 1e4) / 1e2).toString()}%`;
}
function min(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}
