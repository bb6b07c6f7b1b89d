/**
 * Connection settings of the real services started by `scripts/services/<name>.sh up`.
 * Integration tests call these instead of hard-coding ports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest folder above `from` that holds nx.json. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`no nx.json above ${from}: run tests inside the repository`);
    dir = parent;
  }
}

/** The folder holding the services' state and connection files. */
export function servicesDir(): string {
  return process.env['SLO_SERVICES_DIR'] ?? join(findRepoRoot(), '.services');
}

/** Connection settings of PostgreSQL. */
export interface PostgresConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly url: string;
}

/** Connection settings of Kafka. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly bootstrap: string;
}

/** Connection settings of Prometheus. */
export interface PrometheusConnection {
  readonly url: string;
  readonly port: number;
  readonly promtool: string;
  /** Directory whose `*.yml` rule files the server loads on `POST /-/reload`. */
  readonly rulesDir: string;
}

/** Connection settings of Milvus (Lite). */
export interface MilvusConnection {
  readonly host: string;
  readonly port: number;
  /** `host:port` for `new MilvusClient({ address })`. */
  readonly address: string;
  readonly version: string;
}

/** Connection settings of the S3-compatible server (versitygw). */
export interface S3Connection {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly bucket: string;
  readonly forcePathStyle: boolean;
}

interface Connections {
  postgres: PostgresConnection;
  s3: S3Connection;
  kafka: KafkaConnection;
  prometheus: PrometheusConnection;
  milvus: MilvusConnection;
  [other: string]: unknown;
}

/** Reads `<services>/<name>/connection.json`; the error says how to start the service. */
export function loadConnection<N extends keyof Connections & string>(name: N): Connections[N] {
  const file = join(servicesDir(), name, 'connection.json');
  if (!existsSync(file)) {
    throw new Error(
      `${name} is not running (no ${file}). Start it with 'bash scripts/services/${name}.sh up' ` +
        `or run the integration suite with 'npm run test:services'.`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Connections[N];
}

/** The shared benchmark/reference data folder (`<repo>/../shared`), or undefined when absent. */
export function sharedDir(): string | undefined {
  const dir = process.env['SLO_SHARED_DIR'] ?? join(findRepoRoot(), '..', 'shared');
  return existsSync(dir) ? dir : undefined;
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) into records keyed by
 * the header row; rows with another field count are left out. For the reference data in shared/.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body
    .filter((r) => r.length === header!.length)
    .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}
