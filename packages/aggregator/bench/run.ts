/**
 * Throughput and memory benchmark of @slo-scout/aggregator on synthetic capsule events.
 * Run: `npm run bench` (node --expose-gc --import tsx bench/run.ts). Prints Markdown tables.
 * The data are synthetic, so nothing from ../shared/benchmarks is needed.
 *
 * Every string of every event is a fresh flat string (as a decoder produces them), so V8 has not
 * cached its hash yet: lookups by fingerprint, source and id pay for hashing as in production.
 * Events come in batches of 10,000, generated while the clock is stopped, like a consumer that
 * holds one fetched batch at a time (a 1M-event live heap would make every GC unrealistically slow).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createAggregator,
  createRandom,
  type AggregatorEvent,
  type AggregatorOptions,
  type Random,
} from '../src/index.ts';
import { hashIdInto, type IdHash } from '../src/id-set.ts';
import { hashWindowKey } from '../src/window-index.ts';

const EVENTS = 1_000_000;
const KEYS = 10_000;
const BATCH = 10_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const SERVICES = ['checkout', 'cart', 'search', 'auth'];
/** A fresh flat string with no cached hash, like one a decoder returns. */
const decode = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** Batch `b` of 1M events over `keys` keys (keys / 4 fingerprints x 4 services), 3 h, 30 s disorder. */
function makeBatch(b: number, random: Random, keys: number): AggregatorEvent[] {
  const events: AggregatorEvent[] = [];
  for (let j = 0; j < BATCH; j++) {
    const i = b * BATCH + j;
    const key = Math.floor(random.next() * keys);
    const f = key >> 2;
    events.push({
      fingerprint_hash: decode((f * 0x9e3779b1).toString(16).padStart(16, '0').repeat(4)),
      template: decode('GET /api/items/<*> took <*> ms'),
      service: decode(SERVICES[key & 3]!),
      severity_number: 1 + Math.floor(random.next() * 24),
      event_time_ms: T0 + Math.floor((i / EVENTS) * 3 * HOUR - random.next() * 30_000),
      redacted_sample: decode(`GET /api/items/<ID> took ${j % 1000} ms`),
      source_event_id: decode(`0190a5c4-7b1e-7000-9${i.toString(16).padStart(15, '0')}`),
      source: decode(`pod-${Math.floor(random.next() * 50)}`),
    });
  }
  return events;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function throughput(keys: number, extra: Partial<AggregatorOptions>) {
  const agg = createAggregator({ random: createRandom(1), ...extra });
  const random = createRandom(20_260_101);
  let outputs = 0;
  let cpu = 0;
  let wall = 0;
  for (let b = 0; b < EVENTS / BATCH; b++) {
    const batch = makeBatch(b, random, keys);
    const c = process.cpuUsage();
    const t = performance.now();
    for (const event of batch) agg.add(event);
    if (b === EVENTS / BATCH - 1) agg.flush();
    outputs += agg.drain().length;
    cpu += cpuSeconds(c);
    wall += (performance.now() - t) / 1000;
  }
  return { cpuRate: EVENTS / cpu, wallRate: EVENTS / wall, outputs, stats: agg.stats() };
}

/**
 * Reference loops over the same batches, for what this machine allows at all: `hash` reads each
 * event and hashes its window key and its id (the least exact per-window deduplication must do:
 * no table, no counting); `native` finds the window in a `Map` by fingerprint and service and
 * deduplicates the id in a `Set` per window (V8's own hashing and tables, nothing else).
 */
function reference(keys: number, kind: 'hash' | 'native'): number {
  const random = createRandom(20_260_101);
  const out: IdHash = { high: 0, low: 0 };
  const windows = new Map<string, Map<string, Set<string>>>();
  let sink = 0;
  let cpu = 0;
  for (let b = 0; b < EVENTS / BATCH; b++) {
    const batch = makeBatch(b, random, keys);
    const c = process.cpuUsage();
    if (kind === 'hash') {
      for (const e of batch) {
        hashIdInto(e.source_event_id, out);
        sink ^= hashWindowKey(e.fingerprint_hash, e.service) ^ out.high ^ out.low;
        sink ^= e.event_time_ms ^ e.severity_number;
      }
    } else {
      for (const e of batch) {
        const bucket = `${Math.floor(e.event_time_ms / HOUR)}`;
        let byKey = windows.get(bucket);
        if (byKey === undefined) windows.set(bucket, (byKey = new Map<string, Set<string>>()));
        const key = e.fingerprint_hash + e.service;
        let ids = byKey.get(key);
        if (ids === undefined) byKey.set(key, (ids = new Set()));
        ids.add(e.source_event_id);
      }
      for (const bucket of windows.keys()) {
        // A bucket that ended over an hour before the stream's time is done, as a closed window is.
        if (Number(bucket) < (T0 + ((b + 1) / (EVENTS / BATCH)) * 3 * HOUR) / HOUR - 2) {
          windows.delete(bucket);
        }
      }
    }
    cpu += cpuSeconds(c);
  }
  if (sink === 0.5) console.log('');
  return EVENTS / cpu;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
}

function usedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const flat = decode;

/** Bytes (heap + array buffers) per open window holding `perWindow` events each. */
function bytesPerWindow(perWindow: number, extra: Partial<AggregatorOptions>): number {
  const windows = Math.min(10_000, 1_000_000 / perWindow);
  const events: AggregatorEvent[] = [];
  for (let w = 0; w < windows; w++) {
    for (let e = 0; e < perWindow; e++) {
      events.push({
        fingerprint_hash: flat(`fp-${w.toString(16).padStart(61, '0')}`),
        template: 'GET /api/items/<*> took <*> ms',
        service: 'checkout',
        severity_number: 9,
        event_time_ms: T0 + e,
        redacted_sample: flat(`GET /api/items/<ID> took ${e} ms`),
        source_event_id: flat(
          `0190a5c4-7b1e-7000-9${(w * perWindow + e).toString(16).padStart(15, '0')}`,
        ),
        source: flat(`pod-${e % 50}`),
      });
    }
  }
  gc();
  const before = usedBytes();
  const agg = createAggregator({ random: createRandom(1), watermarkDelayMs: 10 * HOUR, ...extra });
  for (const event of events) agg.add(event);
  gc();
  const after = usedBytes();
  // The events stay reachable until here, so only the aggregator's own memory is counted.
  if (agg.retainedWindows() !== windows || events.length !== windows * perWindow) {
    throw new Error('bench setup: windows closed early');
  }
  return (after - before) / windows;
}

function spin(iterations: number): number {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (x + i * 7) | 0;
  return x;
}

/**
 * CPU nanoseconds per iteration of a trivial integer loop, to compare machines. The loop is
 * warmed up first: measured cold, it ran in V8's baseline code for as long as the optimizing
 * compiler's background thread waited for a core, which on a loaded machine gave 5 to 6 ns
 * instead of about 0.8 and was mistaken for a slow CPU.
 */
function calibrate(): number {
  for (let i = 0; i < 200; i++) spin(100_000);
  const c = process.cpuUsage();
  if (spin(200_000_000) === 42) console.log('');
  return (cpuSeconds(c) * 1e9) / 200_000_000;
}

const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
const calibration = calibrate();
console.log(
  `Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0]!.toFixed(1)}; ` +
    `trivial integer loop ${calibration.toFixed(2)} CPU-ns/iteration (compare with your machine).\n`,
);

if (!hasGc) {
  console.log('Bytes per open window skipped: run with `node --expose-gc` (npm run bench does).\n');
} else {
  console.log(
    '### Memory per open window (heap + array buffers; 10,000 open windows, 1,000 for the last row; K = 10)\n',
  );
  console.log(
    '| events per window | dedup on (default) | dedup off (`maxTrackedIdsPerWindow: 0`) |',
  );
  console.log('|---|---|---|');
  for (const perWindow of [1, 10, 100, 1_000]) {
    const on = bytesPerWindow(perWindow, {});
    const off = bytesPerWindow(perWindow, { maxTrackedIdsPerWindow: 0 });
    console.log(
      `| ${perWindow} | ${Math.round(on).toLocaleString('en')} | ${Math.round(off).toLocaleString('en')} |`,
    );
  }
  console.log('');
}

if (process.argv.includes('--memory-only')) process.exit(0);

console.log(
  `### Throughput: ${EVENTS.toLocaleString('en')} events, 1 h windows, 3 h of event time\n`,
);
console.log(
  '| keys | configuration | events per CPU-second (median of 3) | events per wall-second | windows emitted | late | load average, integer loop |',
);
console.log('|---|---|---|---|---|---|---|');
for (const keys of [KEYS, 100]) {
  for (const [label, extra] of [
    ['defaults (dedup on, K = 10)', {}],
    ['dedup off (`maxTrackedIdsPerWindow: 0`)', { maxTrackedIdsPerWindow: 0 }],
  ] as const) {
    const runs = [1, 2, 3].map(() => throughput(keys, extra));
    const { stats, outputs } = runs[0]!;
    // On a shared machine a CPU-second is not a fixed amount of work: print the load and the
    // trivial loop's CPU-ns per iteration next to each row, so rows are comparable.
    const conditions = `${loadavg()[0]!.toFixed(1)}, ${calibrate().toFixed(2)} ns`;
    console.log(
      `| ${keys.toLocaleString('en')} | ${label} | ${(median(runs.map((r) => r.cpuRate)) / 1e6).toFixed(2)} M | ${(median(runs.map((r) => r.wallRate)) / 1e6).toFixed(2)} M | ${outputs.toLocaleString('en')} | ${stats.late} | ${conditions} |`,
    );
  }
}

console.log(
  '\n### Reference loops over the same events (10,000 keys): what this machine allows at all\n',
);
console.log('| loop | events per CPU-second (median of 3) | CPU-ns per event |');
console.log('|---|---|---|');
for (const [label, kind] of [
  ['read each event, hash its window key and its id; nothing else', 'hash'],
  ['a native `Map` of windows and a native `Set` of ids per window; nothing else', 'native'],
] as const) {
  const rate = median([1, 2, 3].map(() => reference(KEYS, kind)));
  console.log(`| ${label} | ${(rate / 1e6).toFixed(2)} M | ${Math.round(1e9 / rate)} |`);
}
