/**
 * Milvus through `@zilliz/milvus2-sdk-node`: an HNSW (cosine) index on the vector and scalar fields
 * for service, severity, time bucket and fingerprint, which filtered searches use. The collection's
 * model and dimension are stored as collection properties and checked on every open.
 */
import { DataType, MilvusClient, type ClientConfig } from '@zilliz/milvus2-sdk-node';
import { RagError, fail, ok, toRagError, type RagResult } from '../../errors.ts';
import {
  checkQuery,
  checkRecords,
  collectionMismatch,
  validateCollectionInfo,
  type CollectionInfo,
  type StoredCapsule,
  type VectorFilter,
  type VectorHit,
  type VectorStore,
} from '../../core/vector-store.ts';

/** Options of {@link openMilvusStore}. */
export interface MilvusStoreOptions extends CollectionInfo {
  /** `host:port` of the Milvus gRPC endpoint, or a ready client (then `close` leaves it open). */
  readonly address?: string;
  readonly client?: MilvusClient;
  /** Extra client settings (token, TLS) when `address` is used. */
  readonly clientConfig?: Omit<ClientConfig, 'address'>;
  /** HNSW graph degree. Default 16. */
  readonly m?: number;
  /** HNSW build candidate list. Default 200. */
  readonly efConstruction?: number;
  /** HNSW search candidate list. Default 128. */
  readonly ef?: number;
}

/** A Milvus store; `close` releases the client it opened. */
export interface MilvusStore extends VectorStore {
  readonly client: MilvusClient;
  close(): Promise<void>;
}

const MODEL_PROPERTY = 'slo_scout.model';
const DIMENSION_PROPERTY = 'slo_scout.dimension';
const OUTPUT_FIELDS = [
  'id',
  'fingerprint',
  'service',
  'template',
  'severity',
  'time_bucket_ms',
  'count',
  'last_seen_ms',
  'sample_refs',
];

/** A Milvus string literal (JSON escaping is what Milvus' expression parser accepts). */
function str(value: string): string {
  return JSON.stringify(value);
}

function int(name: string, value: number): string {
  if (!Number.isFinite(value)) throw new RagError('INVALID_OPTIONS', `${name} must be finite`);
  return String(Math.trunc(value));
}

/** Builds a Milvus boolean expression from a filter; empty when nothing is filtered. */
export function toMilvusFilter(filter: VectorFilter | undefined): string {
  if (filter === undefined) return '';
  const clauses: string[] = [];
  if (filter.services !== undefined)
    clauses.push(`service in [${filter.services.map(str).join(', ')}]`);
  if (filter.fingerprints !== undefined) {
    clauses.push(`fingerprint in [${filter.fingerprints.map(str).join(', ')}]`);
  }
  if (filter.fromMs !== undefined)
    clauses.push(`time_bucket_ms >= ${int('fromMs', Math.ceil(filter.fromMs))}`);
  if (filter.toMs !== undefined)
    clauses.push(`time_bucket_ms < ${int('toMs', Math.ceil(filter.toMs))}`);
  if (filter.minSeverity !== undefined) {
    clauses.push(`severity >= ${int('minSeverity', Math.ceil(filter.minSeverity))}`);
  }
  return clauses.join(' and ');
}

function checkStatus(
  status: { error_code?: string | number; reason?: string; code?: number },
  what: string,
): void {
  const success = status.error_code === 'Success' || status.error_code === 0 || status.code === 0;
  if (!success) {
    throw new RagError(
      'STORE_FAILED',
      `milvus ${what}: ${status.reason ?? String(status.error_code)}`,
    );
  }
}

function toCapsule(row: Record<string, unknown>): StoredCapsule {
  let refs: unknown;
  try {
    const raw = row['sample_refs'];
    refs = typeof raw === 'string' ? JSON.parse(raw) : [];
  } catch {
    refs = [];
  }
  return {
    id: String(row['id']),
    fingerprint: String(row['fingerprint']),
    service: String(row['service']),
    template: String(row['template']),
    severity: Number(row['severity']),
    timeBucketMs: Number(row['time_bucket_ms']),
    count: Number(row['count']),
    lastSeenMs: Number(row['last_seen_ms']),
    sampleRefs: Array.isArray(refs) ? refs.map(String) : [],
  };
}

/**
 * Opens (creating when absent) a Milvus collection for capsule vectors. A collection that exists
 * with another model or dimension gives `MODEL_MISMATCH` / `DIMENSION_MISMATCH`.
 */
export async function openMilvusStore(
  options: MilvusStoreOptions,
): Promise<RagResult<MilvusStore>> {
  const info = validateCollectionInfo({
    name: options.name,
    model: options.model,
    dimension: options.dimension,
  });
  if ((options.address === undefined) === (options.client === undefined)) {
    throw new RagError('INVALID_OPTIONS', 'give exactly one of address and client');
  }
  const ownsClient = options.client === undefined;
  const client =
    options.client ??
    new MilvusClient({
      logLevel: 'error',
      ...options.clientConfig,
      address: options.address ?? '',
    });
  const collection_name = info.name;
  const close = async (): Promise<void> => {
    if (ownsClient) await client.closeConnection();
  };
  try {
    const has = await client.hasCollection({ collection_name });
    checkStatus(has.status, 'hasCollection');
    if (has.value === true) {
      const described = await client.describeCollection({ collection_name });
      checkStatus(described.status, 'describeCollection');
      const props = new Map(described.properties.map((p) => [p.key, p.value]));
      const vectorField = described.schema.fields.find((f) => f.name === 'vector');
      const dim = Number(
        props.get(DIMENSION_PROPERTY) ??
          vectorField?.type_params.find((p) => p.key === 'dim')?.value,
      );
      const mismatch = collectionMismatch(
        {
          name: info.name,
          model: String(props.get(MODEL_PROPERTY) ?? '(unknown)'),
          dimension: dim,
        },
        info,
      );
      if (mismatch !== undefined) {
        await close();
        return fail(mismatch);
      }
    } else {
      const created = await client.createCollection({
        collection_name,
        fields: [
          { name: 'id', data_type: DataType.VarChar, is_primary_key: true, max_length: 512 },
          { name: 'vector', data_type: DataType.FloatVector, dim: info.dimension },
          { name: 'fingerprint', data_type: DataType.VarChar, max_length: 128 },
          { name: 'service', data_type: DataType.VarChar, max_length: 256 },
          { name: 'template', data_type: DataType.VarChar, max_length: 8192 },
          { name: 'severity', data_type: DataType.Int32 },
          { name: 'time_bucket_ms', data_type: DataType.Int64 },
          { name: 'count', data_type: DataType.Int64 },
          { name: 'last_seen_ms', data_type: DataType.Int64 },
          { name: 'sample_refs', data_type: DataType.VarChar, max_length: 4096 },
        ],
        properties: { [MODEL_PROPERTY]: info.model, [DIMENSION_PROPERTY]: String(info.dimension) },
      });
      checkStatus(created, 'createCollection');
      const index = await client.createIndex({
        collection_name,
        field_name: 'vector',
        index_type: 'HNSW',
        metric_type: 'COSINE',
        params: { M: options.m ?? 16, efConstruction: options.efConstruction ?? 200 },
      });
      checkStatus(index, 'createIndex');
    }
    checkStatus(await client.loadCollectionSync({ collection_name }), 'loadCollection');
  } catch (error) {
    await close().catch(() => undefined);
    return fail(toRagError(error));
  }
  const ef = options.ef ?? 128;

  return ok({
    info,
    client,
    close,
    async upsert(records) {
      const checked = checkRecords(info, records);
      if (!checked.ok) return checked;
      if (records.length === 0) return ok(0);
      try {
        const result = await client.upsert({
          collection_name,
          data: records.map((r) => ({
            id: r.document.id,
            vector: Array.from(r.vector),
            fingerprint: r.document.fingerprint,
            service: r.document.service,
            template: r.document.template,
            severity: r.document.severity,
            time_bucket_ms: r.document.timeBucketMs,
            count: r.document.count,
            last_seen_ms: r.document.lastSeenMs,
            sample_refs: JSON.stringify(r.document.sampleRefs),
          })),
        });
        checkStatus(result.status, 'upsert');
        return ok(records.length);
      } catch (error) {
        return fail(toRagError(error));
      }
    },
    async search(query) {
      const checked = checkQuery(info, query);
      if (!checked.ok) return checked;
      try {
        const filter = toMilvusFilter(query.filter);
        const result = await client.search({
          collection_name,
          data: [Array.from(query.vector)],
          anns_field: 'vector',
          limit: query.limit,
          output_fields: OUTPUT_FIELDS,
          // ef must be at least the limit; a huge ef approximates exact search for recall checks.
          params: {
            ef: query.exact === true ? Math.max(4096, query.limit) : Math.max(ef, query.limit),
          },
          ...(filter === '' ? {} : { filter }),
        });
        checkStatus(result.status, 'search');
        const rows = result.results as unknown as Record<string, unknown>[];
        const hits: VectorHit[] = rows.map((row) => ({
          capsule: toCapsule(row),
          similarity: Number(row['score']),
        }));
        return ok(hits);
      } catch (error) {
        return fail(toRagError(error));
      }
    },
    async count() {
      try {
        const result = await client.count({ collection_name });
        checkStatus(result.status, 'count');
        return ok(result.data);
      } catch (error) {
        return fail(toRagError(error));
      }
    },
  });
}

/** Drops a collection (for tests and re-indexing). */
export async function dropMilvusCollection(
  client: MilvusClient,
  name: string,
): Promise<RagResult<void>> {
  try {
    checkStatus(await client.dropCollection({ collection_name: name }), 'dropCollection');
    return ok(undefined);
  } catch (error) {
    return fail(toRagError(error));
  }
}
