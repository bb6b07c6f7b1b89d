export { nodeHash } from './hash.ts';
export { createRedactStream, createFingerprintStream } from './streams.ts';
export type { RedactStreamOptions, FingerprintStreamOptions } from './streams.ts';
