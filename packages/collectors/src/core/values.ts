import type { AttributeValue, Attributes } from '@slo-scout/schema';

/**
 * Defensive readers over decoded protobuf messages and parsed JSON alike. protobufjs keeps proto3
 * defaults on the prototype and sets present fields as own properties, and OTLP/JSON only has own
 * properties, so "own property" means "present" in both.
 */

/** A plain object. */
export type Obj = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The own property `key` of `o`, or undefined. */
export function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** A field read as an array: absent is empty, anything else that is not an array is undefined. */
export function arrayField(o: Obj, key: string): readonly unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : undefined;
}

/** A field read as a string: absent is '', a non-string is undefined. */
export function stringField(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : undefined;
}

/** An integer field (number, decimal string or protobufjs Long); absent is 0. */
export function intField(o: Obj, key: string): number | undefined {
  return toNumber(o[key]);
}

/** Converts an int64 in any of its decoded forms to a number (exact up to 2^53). */
export function toNumber(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    if (!/^-?\d{1,20}$/.test(v)) return undefined;
    return Number(v);
  }
  if (isObj(v) && typeof v['low'] === 'number' && typeof v['high'] === 'number') {
    const low = v['low'] >>> 0;
    const high = v['high'];
    return v['unsigned'] === true ? (high >>> 0) * 4294967296 + low : high * 4294967296 + low;
  }
  return undefined;
}

/**
 * Nanoseconds since the epoch to whole milliseconds (TelemetryEvent times are Avro longs). A double
 * holds today's epoch nanoseconds only to about 256 ns, so `k` ms can arrive as a hair below `k`;
 * rounding to whole microseconds first gives the exact millisecond for any time with microsecond
 * precision (and is within half a microsecond otherwise).
 */
export function nanosToMs(nanos: number): number {
  return Math.floor(Math.round(nanos / 1e3) / 1e3);
}

const HEX = /^[0-9a-f]*$/;

/**
 * Reads a trace or span id: bytes (protobuf) or hex (OTLP/JSON). Returns null when absent or all
 * zero, undefined when malformed.
 */
export function idField(o: Obj, key: string, bytes: number): string | null | undefined {
  const v = o[key];
  let hex: string;
  // protobufjs leaves absent bytes fields at a shared empty array on the prototype.
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
    return null;
  if (typeof v === 'string') {
    hex = v.toLowerCase();
    if (!HEX.test(hex)) return undefined;
  } else if (v instanceof Uint8Array) {
    if (v.length === 0) return null;
    hex = toHex(v);
  } else return undefined;
  if (hex.length !== bytes * 2) return undefined;
  return /^0+$/.test(hex) ? null : hex;
}

const HEX_DIGITS = '0123456789abcdef';

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX_DIGITS[b >>> 4]! + HEX_DIGITS[b & 15]!;
  return s;
}

/** Base64 of bytes without node:buffer. */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Flattens an OTLP AnyValue to what the pipeline keeps; nested values become JSON text. */
export function anyValue(v: unknown, depth = 0): AttributeValue {
  if (!isObj(v)) return null;
  const s = own(v, 'stringValue');
  if (typeof s === 'string') return s;
  const b = own(v, 'boolValue');
  if (typeof b === 'boolean') return b;
  if (own(v, 'intValue') !== undefined) {
    const n = toNumber(own(v, 'intValue'));
    return n === undefined ? null : n;
  }
  // -0 becomes 0: JSON writes it as 0, so one value reads alike from protobuf and from JSON.
  const d = own(v, 'doubleValue');
  if (typeof d === 'number') return d === 0 ? 0 : d;
  if (typeof d === 'string') {
    const n = Number(d);
    if (n === 0) return 0;
    return Number.isNaN(n) && d !== 'NaN' ? null : n;
  }
  const bytes = own(v, 'bytesValue');
  if (bytes instanceof Uint8Array) return toBase64(bytes);
  if (typeof bytes === 'string') return bytes;
  if (depth > 8) return null;
  const arr = own(v, 'arrayValue');
  if (isObj(arr)) {
    const values = arrayField(arr, 'values') ?? [];
    return JSON.stringify(values.map((x) => anyValue(x, depth + 1)));
  }
  const kv = own(v, 'kvlistValue');
  if (isObj(kv)) return JSON.stringify(attributes(arrayField(kv, 'values') ?? [], depth + 1));
  return null;
}

/**
 * A key that is safe as a plain-object property: `__proto__` (a valid OTLP attribute, Prometheus
 * or Loki label name) would set the object's prototype instead of a property, and the Avro map
 * decoder downstream could not carry it either, so it is renamed to `_proto_`.
 */
export function toSafeKey(key: string): string {
  return key === '__proto__' ? '_proto_' : key;
}

/** Converts a list of OTLP KeyValue into attributes; malformed entries are skipped. */
export function attributes(list: readonly unknown[], depth = 0): Attributes {
  const out: Attributes = {};
  for (const kv of list) {
    if (!isObj(kv)) continue;
    const key = kv['key'];
    if (typeof key !== 'string' || key === '') continue;
    out[toSafeKey(key)] = anyValue(kv['value'], depth);
  }
  return out;
}
