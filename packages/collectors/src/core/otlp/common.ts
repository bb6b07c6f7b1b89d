import type { Attributes, TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { decodeMessage } from '../proto/decode.ts';
import type { MessageType } from '../proto/messages.ts';
import { arrayField, attributes, isObj, type Obj } from '../values.ts';

/** Wire encodings an OTLP request can arrive in. */
export type OtlpEncoding = 'protobuf' | 'json';

/** Context every normaliser needs from its adapter. */
export interface NormaliseContext {
  /** When the collector received the data (ms since the epoch): the events' `observed_time_ms`. */
  readonly observedTimeMs: number;
  /** Service used when the resource has no `service.name`. */
  readonly defaultService?: string;
}

/** The events of one request, plus what was rejected and why (OTLP partial success). */
export interface NormalisedBatch {
  readonly events: TelemetryEvent[];
  readonly rejected: number;
  /** A short, human-readable summary of the first rejections; '' when none. */
  readonly errorMessage: string;
}

/** The resource part of a ResourceSpans / ResourceLogs entry. */
export interface ResourceInfo {
  readonly service: string;
  readonly attributes: Attributes;
}

/** Reads the resource: its attributes and `service.name`. */
export function readResource(entry: Obj, ctx: NormaliseContext): ResourceInfo {
  const resource = entry['resource'];
  const attrs = isObj(resource) ? attributes(arrayField(resource, 'attributes') ?? []) : {};
  const name = attrs['service.name'];
  return {
    service:
      typeof name === 'string' && name !== '' ? name : (ctx.defaultService ?? 'unknown_service'),
    attributes: attrs,
  };
}

/** Adds `otel.scope.name` / `otel.scope.version` to attributes when the scope has them. */
export function scopeAttributes(scopeEntry: Obj): Attributes {
  const scope = scopeEntry['scope'];
  if (!isObj(scope)) return {};
  const out: Attributes = {};
  const name = scope['name'];
  const version = scope['version'];
  if (typeof name === 'string' && name !== '') out['otel.scope.name'] = name;
  if (typeof version === 'string' && version !== '') out['otel.scope.version'] = version;
  return out;
}

/** Collects rejections and renders the partial-success message. */
export class Rejections {
  count = 0;
  private readonly samples: string[] = [];

  /** Records one rejected record. */
  add(reason: string): void {
    this.count++;
    if (this.samples.length < 5) this.samples.push(reason);
  }

  /** Adds `n` rejections for a whole malformed container. */
  addMany(n: number, reason: string): void {
    for (let i = 0; i < Math.max(1, n); i++) this.add(reason);
  }

  /** The message: the first reasons, then how many more. */
  message(): string {
    if (this.count === 0) return '';
    const more = this.count - this.samples.length;
    return this.samples.join('; ') + (more > 0 ? `; and ${more} more` : '');
  }
}

/** Parses a request body as protobuf or OTLP/JSON, yielding the top-level object. */
export function parseOtlpBody(
  bytes: Uint8Array,
  encoding: OtlpEncoding,
  type: MessageType,
): Result<Obj> {
  if (encoding === 'protobuf') {
    const decoded = decodeMessage(type, bytes);
    if (!decoded.ok) return decoded;
    return ok(decoded.value as Obj);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    return err(
      new CollectorError('BAD_JSON', `${type.name}: body is not valid UTF-8 JSON`, { cause }),
    );
  }
  if (!isObj(parsed)) {
    return err(new CollectorError('BAD_SHAPE', `${type.name}: body must be a JSON object`));
  }
  return ok(parsed);
}
