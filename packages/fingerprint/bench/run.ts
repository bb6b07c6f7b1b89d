/**
 * Benchmarks on ../shared/benchmarks: Loghub-2k parsing accuracy, redaction precision/recall,
 * secret false positives, generated vendor tokens, throughput. Prints Markdown tables.
 * Usage: npm run bench   (from packages/fingerprint)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRedactor } from '../src/core/redact/redactor.ts';
import { createTemplateMiner } from '../src/core/mine/miner.ts';
import { scoreParsing } from '../src/core/eval/parsing-metrics.ts';
import { vendorSamples } from '../test/samples.ts';
import { nodeHash } from '../src/adapters/node/hash.ts';
import { parseCsv } from '@slo-scout/testkit';

const repoRoot = resolve(import.meta.dirname, '../../..');
const shared = join(repoRoot, '..', 'shared', 'benchmarks');
const DATASETS = [
  'HDFS',
  'Hadoop',
  'Spark',
  'Zookeeper',
  'BGL',
  'HealthApp',
  'OpenSSH',
  'Proxifier',
];
const only = process.argv.slice(2);
const want = (section: string) => only.length === 0 || only.includes(section);

const f3 = (x: number) => x.toFixed(3);

function loghub(): void {
  console.log('\n### Loghub-2k parsing accuracy (one configuration, Content column)\n');
  console.log(
    '| dataset | GA orig | FGA orig | PA orig | FTA orig | GA corr | FGA corr | PA corr | FTA corr | templates |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const sums = { o: [0, 0, 0, 0], c: [0, 0, 0, 0] };
  for (const d of DATASETS) {
    const original = parseCsv(
      readFileSync(join(shared, 'loghub-2k', d, `${d}_2k.original.csv`), 'utf8'),
    );
    const corrected = parseCsv(
      readFileSync(join(shared, 'loghub-2k', d, `${d}_2k.corrected.csv`), 'utf8'),
    );
    const miner = createTemplateMiner();
    for (const r of original) miner.add(r['Content']!);
    // final templates: match again after learning (the miner's templates only generalise)
    const byFp = new Map<string, string>();
    const finalFp = original.map((r) => {
      const m = miner.match(r['Content']!) ?? miner.add(r['Content']!);
      byFp.set(m.fingerprint, m.wildcardTemplate);
      return m.fingerprint;
    });
    const predictedTemplate = finalFp.map((fp) => byFp.get(fp)!);
    const o = scoreParsing({
      predictedGroup: finalFp,
      predictedTemplate,
      truthTemplate: original.map((r) => r['EventTemplate']!),
    });
    const c = scoreParsing({
      predictedGroup: finalFp,
      predictedTemplate,
      truthTemplate: corrected.map((r) => r['EventTemplate']!),
    });
    [o.ga, o.fga, o.pa, o.fta].forEach((v, i) => (sums.o[i]! += v));
    [c.ga, c.fga, c.pa, c.fta].forEach((v, i) => (sums.c[i]! += v));
    console.log(
      `| ${d} | ${f3(o.ga)} | ${f3(o.fga)} | ${f3(o.pa)} | ${f3(o.fta)} | ${f3(c.ga)} | ${f3(c.fga)} | ${f3(c.pa)} | ${f3(c.fta)} | ${miner.size} |`,
    );
  }
  const m = (a: number[]) => a.map((x) => f3(x / DATASETS.length)).join(' | ');
  console.log(`| **mean** | ${m(sums.o)} | ${m(sums.c)} | |`);
}

interface Span {
  start: number;
  end: number;
  label: string;
  value: string;
}

/** Code-point offsets to UTF-16 offsets. */
function toUnits(text: string): number[] {
  const map: number[] = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return map;
}

/** The sensitive core of a labelled token: without `key=` prefixes and wrapping punctuation. */
function core(text: string, s: number, e: number): [number, number] {
  const token = text.slice(s, e);
  const kv = /^[A-Za-z_]+[=(]/.exec(token);
  if (kv !== null) s += kv[0].length;
  while (s < e && /[[(/\s'"]/.test(text[s]!)) s++;
  while (e > s && /[\].,;:)\s'"]/.test(text[e - 1]!)) e--;
  return [s, e];
}

function pii(): void {
  const redactor = createRedactor();
  const corpora: [string, string, Record<string, readonly string[]>][] = [
    ['sdlog.jsonl', 'SDLog', {}],
    ['presidio-synth.jsonl', 'Presidio', {}],
  ];
  console.log(
    '\n### Redaction recall per label (cover: every character of the span core redacted)\n',
  );
  console.log('| corpus | label | spans | cover recall | overlap recall |');
  console.log('|---|---|---|---|---|');
  const precision = new Map<string, [number, number]>();
  for (const [file, name] of corpora) {
    const lines = readFileSync(join(shared, 'pii', file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const stats = new Map<string, [number, number, number]>();
    for (const line of lines) {
      const rec = JSON.parse(line) as { text: string; spans: Span[] };
      const units = toUnits(rec.text);
      const found = redactor.find(rec.text);
      const covered = new Uint8Array(rec.text.length);
      for (const f of found) covered.fill(1, f.start, f.end);
      const spans = rec.spans.map((s) => ({ ...s, us: units[s.start]!, ue: units[s.end]! }));
      for (const s of spans) {
        const [cs, ce] = core(rec.text, s.us, s.ue);
        const labels = [s.label];
        if (name === 'SDLog' && s.label === 'IP' && /\d{1,3}(?:\.\d{1,3}){3}/.test(s.value))
          labels.push('IP (address-shaped)');
        for (const label of labels) {
          const st = stats.get(label) ?? [0, 0, 0];
          st[0]++;
          let all = ce > cs;
          let any = false;
          for (let i = cs; i < ce; i++) {
            if (covered[i] === 1) any = true;
            else all = false;
          }
          if (all) st[1]++;
          if (any) st[2]++;
          stats.set(label, st);
        }
      }
      for (const f of found) {
        const key = `${name} ${f.kind}`;
        const p = precision.get(key) ?? [0, 0];
        p[0]++;
        if (spans.some((s) => s.us < f.end && f.start < s.ue)) p[1]++;
        precision.set(key, p);
      }
    }
    for (const [label, [n, cover, overlap]] of [...stats].sort()) {
      console.log(`| ${name} | ${label} | ${n} | ${f3(cover / n)} | ${f3(overlap / n)} |`);
    }
  }
  console.log(
    '\n### Redaction precision per detected kind (a finding is correct when it overlaps a labelled span)\n',
  );
  console.log('| corpus | kind | findings | precision |');
  console.log('|---|---|---|---|');
  for (const [key, [n, ok]] of [...precision].sort()) {
    const [corpus, kind] = key.split(' ');
    console.log(`| ${corpus} | ${kind} | ${n} | ${f3(ok / n)} |`);
  }

  const negatives = JSON.parse(
    readFileSync(join(shared, 'pii', 'secret-negatives.json'), 'utf8'),
  ) as { rule: string; text: string }[];
  let changed = 0;
  let changedBySecret = 0;
  const flagged: string[] = [];
  for (const n of negatives) {
    const found = redactor.find(n.text);
    if (found.length > 0) {
      changed++;
      if (found.some((f) => !['EMAIL', 'IP', 'PHONE', 'MAC'].includes(f.kind))) changedBySecret++;
      flagged.push(`${n.rule}: ${found.map((f) => f.detector).join(',')}`);
    }
  }
  console.log('\n### False positives on secret-negatives.json\n');
  console.log('| strings | changed (any kind) | changed by a secret detector |');
  console.log('|---|---|---|');
  console.log(
    `| ${negatives.length} | ${changed} (${f3(changed / negatives.length)}) | ${changedBySecret} (${f3(changedBySecret / negatives.length)}) |`,
  );
  if (process.env['BENCH_VERBOSE']) console.log(flagged.join('\n'));

  let total = 0;
  let hit = 0;
  for (let seed = 1; seed <= 20; seed++) {
    for (const [id, token] of Object.entries(vendorSamples(seed))) {
      total++;
      if (redactor.find(`value ${token} end`).some((f) => f.detector === id)) hit++;
    }
  }
  console.log(`\nGenerated vendor tokens detected: ${hit}/${total} (${f3(hit / total)})`);
}

function throughput(): void {
  const lines: string[] = [];
  for (const d of DATASETS) {
    lines.push(
      ...readFileSync(join(shared, 'loghub-2k', d, `${d}_2k.log`), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
  }
  const bytes = lines.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
  const redactor = createRedactor({ hash: nodeHash });
  const miner = createTemplateMiner({ hash: nodeHash });
  const cases: [string, (l: string) => unknown][] = [
    ['redact', (l) => redactor.redact(l)],
    ['mine', (l) => miner.add(l)],
    ['redact + mine + hash', (l) => miner.add(redactor.redact(l).text).fingerprint],
  ];
  console.log(
    `\n### Throughput (one core, ${lines.length} Loghub-2k raw lines, ${(bytes / 1e6).toFixed(2)} MB per pass)\n`,
  );
  console.log('| path | lines/s (CPU time) | MB/s (CPU time) | lines/s (wall clock) |');
  console.log('|---|---|---|---|');
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1e6;
  };
  for (const [name, fn] of cases) {
    for (const l of lines) fn(l); // warm-up
    let passes = 0;
    const cpu0 = process.cpuUsage();
    const wall0 = process.hrtime.bigint();
    while (cpuSeconds(cpu0) < 3) {
      for (const l of lines) fn(l);
      passes++;
    }
    const cpu = cpuSeconds(cpu0);
    const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(
      `| ${name} | ${fmt((passes * lines.length) / cpu)} | ${((passes * bytes) / 1e6 / cpu).toFixed(1)} | ${fmt((passes * lines.length) / wall)} |`,
    );
  }
}

if (!existsSync(shared)) {
  console.log(`Benchmark data not found at ${shared}; skipping.`);
} else {
  console.log(`Node ${process.version}, data ${shared}`);
  if (want('loghub')) loghub();
  if (want('pii')) pii();
  if (want('throughput')) throughput();
}
