export { SchemaError, toSchemaError, ok, err } from './errors.ts';
export type { SchemaErrorCode, Result } from './errors.ts';

export { telemetryEventSchema, capsuleEventSchema, capsuleWindowSchema } from './avro/schemas.ts';
export type {
  AttributeValue,
  Attributes,
  TelemetryKind,
  SpanKind,
  StatusCode,
  MetricType,
  RumEventType,
  Histogram,
  RumFields,
  TelemetryEvent,
  CapsuleSource,
  CapsuleEvent,
  SeverityDistribution,
  SampleEntry,
  CapsuleWindow,
} from './avro/records.ts';
export type { AvroType } from './avro/avro-type.ts';
export {
  createRecordType,
  telemetryEventType,
  capsuleEventType,
  capsuleWindowType,
} from './avro/types.ts';
export type { RecordType } from './avro/types.ts';
export { createTelemetryEvent, createCapsuleEvent } from './avro/create.ts';

export {
  MAGIC_BYTE,
  FRAME_HEADER_BYTES,
  frameSchemaId,
  toFramed,
  parseFrame,
} from './registry/framing.ts';
export { createMemorySchemaRegistry, toSchemaId } from './registry/registry.ts';
export type {
  SchemaRegistry,
  MemorySchemaRegistry,
  RegisteredSchema,
  RegistrySnapshot,
} from './registry/registry.ts';
export { createAvroSerde } from './registry/serde.ts';
export type { AvroSerde } from './registry/serde.ts';

export { TOPICS, toValueSubject } from './topics.ts';
export type { TopicName } from './topics.ts';

export { SLO_SPEC_API_VERSION } from './domain/slo-spec.ts';
export type {
  SloSpec,
  SloObjective,
  SloAlerting,
  SloIndicator,
  DurationString,
} from './domain/slo-spec.ts';
export { parseSloSpec } from './domain/validate-slo-spec.ts';
export { parseDuration, isDuration, toDurationString } from './domain/duration.ts';
export type { Journey, JourneyKey, JourneyEvidence } from './domain/journey.ts';
export type { Sli, SliKind, SliRatio } from './domain/sli.ts';
