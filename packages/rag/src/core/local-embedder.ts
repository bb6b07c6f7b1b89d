/**
 * The embedded default: a deterministic feature-hashing embedder that needs no model download.
 * Features are word unigrams, word bigrams and character trigrams of each word; each feature is
 * hashed (FNV-1a, 32 bit) to a signed slot, and the sum is L2-normalised. Masked placeholders
 * (`<*>`, `<IP>`, ...) are kept as tokens, so templates differing only in variables stay close.
 */
import { RagError } from '../errors.ts';
import type { EmbeddingProvider } from './embedder.ts';

/** Model name recorded with the local embedder's vectors. */
export const LOCAL_EMBEDDER_MODEL = 'slo-scout/feature-hash-v1';

/** Dimension of the local embedder, equal to MiniLM's so stores can switch between them. */
export const LOCAL_EMBEDDER_DIMENSION = 384;

/** Options of {@link createLocalEmbeddingProvider}. */
export interface LocalEmbedderOptions {
  /** Vector length. Default 384. */
  readonly dimension?: number;
}

const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.35;

/** FNV-1a over UTF-16 code units, with a seed prefix so feature kinds do not collide. */
export function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche so nearby strings spread over all slots.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** Splits text into lower-case word tokens; `<...>` placeholders stay whole. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/<[^<>\s]{0,32}>|[\p{L}\p{N}_]+/gu) ?? [];
}

function addFeature(
  vector: Float32Array,
  feature: readonly [string, number],
  weight: number,
): void {
  const h = fnv1a(feature[0], feature[1]);
  const slot = h % vector.length;
  vector[slot] = (vector[slot] ?? 0) + ((h & 0x80000000) === 0 ? weight : -weight);
}

/** Embeds one text synchronously: a unit-length vector of `dimension` numbers. */
export function hashEmbed(
  text: string,
  dimension: number = LOCAL_EMBEDDER_DIMENSION,
): Float32Array {
  const vector = new Float32Array(dimension);
  const tokens = tokenize(text);
  if (tokens.length === 0) tokens.push('<empty>');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    addFeature(vector, [token, 1], UNIGRAM_WEIGHT);
    if (i > 0) addFeature(vector, [`${tokens[i - 1] as string} ${token}`, 2], BIGRAM_WEIGHT);
    if (!token.startsWith('<')) {
      const padded = `^${token}$`;
      for (let j = 0; j + 3 <= padded.length; j++) {
        addFeature(vector, [padded.slice(j, j + 3), 3], TRIGRAM_WEIGHT);
      }
    }
  }
  let norm = 0;
  for (let i = 0; i < dimension; i++) norm += (vector[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  if (norm === 0) {
    // Every feature cancelled out (possible in tiny dimensions): fall back to one fixed slot.
    vector[fnv1a(text, 4) % dimension] = 1;
    return vector;
  }
  for (let i = 0; i < dimension; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

/** The deterministic local provider (no download, no I/O); wrap it with `createEmbedder`. */
export function createLocalEmbeddingProvider(
  options: LocalEmbedderOptions = {},
): EmbeddingProvider {
  const dimension = options.dimension ?? LOCAL_EMBEDDER_DIMENSION;
  if (!Number.isInteger(dimension) || dimension < 8) {
    throw new RagError('INVALID_OPTIONS', 'dimension must be an integer >= 8');
  }
  return {
    model:
      dimension === LOCAL_EMBEDDER_DIMENSION
        ? LOCAL_EMBEDDER_MODEL
        : `${LOCAL_EMBEDDER_MODEL}-${dimension}`,
    dimension,
    embedBatch: (texts) => Promise.resolve(texts.map((t) => hashEmbed(t, dimension))),
  };
}
