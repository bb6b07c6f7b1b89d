/**
 * Where the fingerprint job's per-message work runs: on the job's own thread, or on a worker
 * thread so that redaction, mining and Avro serde use a second core while the main thread runs
 * the bus, the transactions and the aggregate job. Both keep one miner per partition, replaced
 * whenever the job says so (`reset`), and return the same {@link FingerprintBatchResult}.
 */
import { Worker } from 'node:worker_threads';
import {
  createTemplateMiner,
  parseMinerState,
  type TemplateMiner,
  type TemplateMinerState,
} from '@slo-scout/fingerprint';
import {
  fingerprintBatch,
  packValues,
  unpackValues,
  type FingerprintBatchResult,
  type FingerprintTools,
} from './fingerprint-batch.ts';

/** One batch of one partition for the engine. */
export interface FingerprintRequest {
  readonly partition: number;
  /** Framed raw TelemetryEvents written with the job's own schema. */
  readonly values: readonly Uint8Array[];
  /**
   * Start this partition's miner afresh from this saved state (`undefined`: no saved state)
   * before the batch. Absent: go on with the miner the partition has.
   */
  readonly reset?: { readonly saved: unknown };
  readonly maxTemplates?: number;
}

/** A batch's result, plus the miner's state when the batch changed it. */
export interface FingerprintResponse extends FingerprintBatchResult {
  readonly state: TemplateMinerState | undefined;
}

/** Runs fingerprint batches. */
export interface FingerprintEngine {
  run(request: FingerprintRequest): Promise<FingerprintResponse>;
  /** Forgets a partition's miner (e.g. after a failed commit); the next request must reset it. */
  forget(partition: number): void;
  close(): Promise<void>;
}

/** A miner from a saved state (validated), or a fresh one. */
export function toMiner(saved: unknown, maxTemplates: number | undefined): TemplateMiner {
  const state = saved === undefined ? undefined : parseMinerState(saved);
  if (state && !state.ok) throw state.error;
  return createTemplateMiner({
    ...(maxTemplates === undefined ? {} : { maxTemplates }),
    ...(state ? { state: state.value } : {}),
  });
}

/** The miners of an engine, by partition. */
export function createMiners(): {
  miner(request: FingerprintRequest): TemplateMiner;
  forget(partition: number): void;
} {
  const miners = new Map<number, TemplateMiner>();
  return {
    miner(request) {
      let miner = miners.get(request.partition);
      if (request.reset || miner === undefined) {
        miner = toMiner(request.reset?.saved, request.maxTemplates);
        miners.set(request.partition, miner);
      }
      return miner;
    },
    forget: (partition) => miners.delete(partition),
  };
}

/** Runs batches on the calling thread. */
export function createInlineEngine(tools: FingerprintTools): FingerprintEngine {
  const miners = createMiners();
  return {
    async run(request) {
      const miner = miners.miner(request);
      const result = await fingerprintBatch(tools, miner, request.values);
      return { ...result, state: result.changed ? miner.save() : undefined };
    },
    forget: (partition) => {
      miners.forget(partition);
    },
    close: () => Promise.resolve(),
  };
}

/** What the worker is told when it starts. */
export interface FingerprintWorkerData {
  /** The worker's module (TypeScript, loaded through tsx). */
  readonly main: string;
  /** Schema ids of the job's registry, by subject, so the worker frames capsules alike. */
  readonly schemaIds: Readonly<Record<string, number>>;
}

/** A request as posted to the worker. */
export interface WorkerRequest {
  readonly id: number;
  readonly partition: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  readonly reset?: { readonly saved: unknown };
  readonly maxTemplates?: number;
}

/** A reply from the worker: the response with its capsules packed (transferred, not copied). */
export type WorkerReply =
  | ({
      readonly id: number;
      readonly ok: true;
      readonly bytes: Uint8Array;
      readonly ends: Uint32Array;
    } & Omit<FingerprintResponse, 'capsules'>)
  | { readonly id: number; readonly ok: false; readonly error: unknown };

/**
 * Runs batches on a worker thread with the default redactor (`createRedactor()`). A worker that
 * fails rejects its requests, and every later one: the job stops as on any other error.
 */
export async function createThreadEngine(
  schemaIds: Readonly<Record<string, number>>,
): Promise<FingerprintEngine> {
  // The pipeline runs from sources: the worker resolves workspace packages to theirs too.
  const worker = new Worker(new URL('./fingerprint-worker-boot.mjs', import.meta.url), {
    execArgv: ['--conditions=@slo-scout/source'],
    workerData: {
      main: new URL('./fingerprint-worker.ts', import.meta.url).href,
      schemaIds,
    } satisfies FingerprintWorkerData,
  });
  const pending = new Map<
    number,
    { resolve: (r: FingerprintResponse) => void; reject: (e: unknown) => void }
  >();
  let failure: Error | undefined;
  const fail = (e: unknown): void => {
    failure ??=
      e instanceof Error ? e : new Error('the fingerprint worker thread failed', { cause: e });
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  // The worker says `ready` once its modules are loaded (tsx compiles them on the way).
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      if (m !== 'ready') return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`the fingerprint worker thread exited (code ${code}) while starting`));
    });
  });
  await ready;
  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if (!p) return;
    if (!reply.ok) {
      p.reject(reply.error);
      return;
    }
    const { bytes, ends, id: _, ok: __, ...rest } = reply;
    p.resolve({ ...rest, capsules: unpackValues(bytes, ends) });
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    fail(new Error(`the fingerprint worker thread exited (code ${code})`));
  });
  let nextId = 1;
  let closing = false;
  return {
    run(request) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId++;
      const { bytes, ends } = packValues(request.values);
      const message: WorkerRequest = {
        id,
        partition: request.partition,
        bytes,
        ends,
        ...(request.reset ? { reset: request.reset } : {}),
        ...(request.maxTemplates === undefined ? {} : { maxTemplates: request.maxTemplates }),
      };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage(message, [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
      });
    },
    // The job resets the partition on its next request; nothing to tell the worker now.
    forget: () => undefined,
    async close() {
      if (closing) return;
      closing = true;
      await worker.terminate();
    },
  };
}
