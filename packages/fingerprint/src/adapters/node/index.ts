export { nodeHash } from './hash.ts';
