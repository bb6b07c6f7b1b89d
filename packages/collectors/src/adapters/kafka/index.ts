export { createKafkaSink } from './sink.ts';
export type { KafkaSink, KafkaSinkOptions } from './sink.ts';
