/**
 * The fingerprint worker thread: keeps one miner per partition and fingerprints the batches the
 * job posts (see `fingerprint-engine.ts`). Capsule bytes go back transferred, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRedactor } from '@slo-scout/fingerprint';
import {
  capsuleEventType,
  createAvroSerde,
  SchemaError,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
} from '@slo-scout/schema';
import { fingerprintBatch, packValues, unpackValues } from './fingerprint-batch.ts';
import {
  createMiners,
  type FingerprintWorkerData,
  type WorkerReply,
  type WorkerRequest,
} from './fingerprint-engine.ts';

const { schemaIds } = workerData as FingerprintWorkerData;
// The job's registry ids for its two subjects. The job hands over only frames written with the
// input's own schema, so no other id is ever looked up here.
const registry: SchemaRegistry = {
  register(subject) {
    const id = schemaIds[subject];
    return id === undefined
      ? Promise.reject(new SchemaError('UNKNOWN_SUBJECT', `no schema id for ${subject}`))
      : Promise.resolve(id);
  },
  getById: (id) =>
    Promise.reject(new SchemaError('UNKNOWN_SCHEMA_ID', `schema id ${id} is not the job's own`)),
  getLatest: (subject) =>
    Promise.reject(new SchemaError('UNKNOWN_SUBJECT', `no latest schema of ${subject} here`)),
};
const tools = {
  input: createAvroSerde(registry, toValueSubject(TOPICS.rawTelemetry), telemetryEventType),
  output: createAvroSerde(registry, toValueSubject(TOPICS.capsuleEvents), capsuleEventType),
  redactor: createRedactor(),
};
const miners = createMiners();
const port = parentPort!;

// One request at a time, in order: the job waits for each batch before the next.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      const miner = miners.miner({
        partition: request.partition,
        values: [],
        ...(request.reset ? { reset: request.reset } : {}),
        ...(request.maxTemplates === undefined ? {} : { maxTemplates: request.maxTemplates }),
      });
      const result = await fingerprintBatch(
        tools,
        miner,
        unpackValues(request.bytes, request.ends),
      );
      const { capsules, ...rest } = result;
      reply = {
        id: request.id,
        ok: true,
        ...rest,
        ...packValues(capsules),
        state: result.changed ? miner.save() : undefined,
      };
    } catch (error) {
      reply = { id: request.id, ok: false, error };
    }
    port.postMessage(
      reply,
      reply.ok ? [reply.bytes.buffer as ArrayBuffer, reply.ends.buffer as ArrayBuffer] : [],
    );
  });
});
port.postMessage('ready');
