/**
 * The per-message work of the fingerprint job, apart from the bus: decode a raw TelemetryEvent,
 * pick its text, redact, mine, fingerprint, encode the capsule. The same function runs on the
 * job's thread or on a worker thread (`fingerprint-worker.ts`), so both paths give the same bytes.
 */
import type { Redactor, TemplateMiner } from '@slo-scout/fingerprint';
import type { AvroSerde, CapsuleEvent, TelemetryEvent } from '@slo-scout/schema';
import { toCapsuleEvent, toCapsuleInput } from '../capsule.ts';

/** What the batch work needs besides the miner. */
export interface FingerprintTools {
  readonly input: AvroSerde<TelemetryEvent>;
  readonly output: AvroSerde<CapsuleEvent>;
  readonly redactor: Redactor;
}

/** The outcome of a batch, one entry per input message in order. */
export interface FingerprintBatchResult {
  /** Per input message: {@link OUTCOME}. */
  readonly outcomes: Uint8Array;
  /** Keys (fingerprint hashes) of the capsules, in order. */
  readonly keys: string[];
  /** The capsules' framed Avro bytes, in order (packed only to cross to or from a worker). */
  readonly capsules: Uint8Array[];
  /** Code and reason of each undecodable message, in order. */
  readonly dead: { readonly code: string; readonly message: string }[];
  /** Why each skipped message has no capsule, in order. */
  readonly skipped: string[];
  /** True when the miner learned a template (its state must be saved before the commit). */
  readonly changed: boolean;
}

/** What became of one input message. */
export const OUTCOME = { capsule: 0, dead: 1, skipped: 2 } as const;

/** Fingerprints `values` (framed raw TelemetryEvents of one partition) with `miner`. */
export async function fingerprintBatch(
  tools: FingerprintTools,
  miner: TemplateMiner,
  values: readonly Uint8Array[],
): Promise<FingerprintBatchResult> {
  const outcomes = new Uint8Array(values.length);
  const keys: string[] = [];
  const encoded: Uint8Array[] = [];
  const dead: { code: string; message: string }[] = [];
  const skipped: string[] = [];
  let changed = false;
  for (const [i, value] of values.entries()) {
    const decoded = await tools.input.decode(value);
    if (!decoded.ok) {
      outcomes[i] = OUTCOME.dead;
      dead.push({ code: decoded.error.code, message: decoded.error.message });
      continue;
    }
    const what = toCapsuleInput(decoded.value);
    if (!what.ok) {
      outcomes[i] = OUTCOME.skipped;
      skipped.push(what.reason);
      continue;
    }
    const { capsule, isNew } = toCapsuleEvent(decoded.value, what, {
      redactor: tools.redactor,
      miner,
    });
    changed ||= isNew;
    const bytes = await tools.output.encode(capsule);
    outcomes[i] = OUTCOME.capsule;
    keys.push(capsule.fingerprint_hash);
    encoded.push(bytes);
  }
  return { outcomes, keys, capsules: encoded, dead, skipped, changed };
}

/** Packs `values` into one buffer plus their ends (to transfer them to a worker thread). */
export function packValues(values: readonly Uint8Array[]): {
  bytes: Uint8Array;
  ends: Uint32Array;
} {
  let size = 0;
  for (const v of values) size += v.length;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(values.length);
  let at = 0;
  for (const [i, v] of values.entries()) {
    bytes.set(v, at);
    at += v.length;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** Views of the values {@link packValues} packed (no copy). */
export function unpackValues(bytes: Uint8Array, ends: Uint32Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (const end of ends) {
    out.push(bytes.subarray(start, end));
    start = end;
  }
  return out;
}
