import { telemetryEventType } from '@slo-scout/schema';
import fc from 'fast-check';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../proto/decode.ts';
import { messages } from '../proto/messages.ts';
import { formatLabelSet, parseLabelSet } from './labels.ts';
import { decodeLokiPush } from './push.ts';

const ctx = { observedTimeMs: 5, maxDecodedBytes: 1 << 20 };
const labelsArb = fc.dictionary(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
  fc.string({ maxLength: 12 }),
  { maxKeys: 4 },
);

describe('Loki label sets', () => {
  it('parse what formatLabelSet renders', () => {
    fc.assert(
      fc.property(labelsArb, (labels) => {
        expect(parseLabelSet(formatLabelSet(labels))).toEqual(labels);
      }),
    );
    expect(parseLabelSet('{a="1", b="x\\"y"}')).toEqual({ a: '1', b: 'x"y' });
    expect(parseLabelSet('{a=1}')).toBeUndefined();
  });
});

describe('Loki push decoder', () => {
  const pushArb = fc.array(
    fc.record({
      labels: labelsArb,
      entries: fc.array(
        fc.record({
          seconds: fc.integer({ min: 1, max: 2e9 }),
          nanos: fc.integer({ min: 0, max: 999_999_999 }),
          line: fc.string(),
        }),
        { maxLength: 4 },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  );
  const toProto = (
    streams: {
      labels: Record<string, string>;
      entries: { seconds: number; nanos: number; line: string }[];
    }[],
  ) =>
    compressSync(
      Buffer.from(
        encodeMessage(messages.lokiPush, {
          streams: streams.map((s) => ({
            labels: formatLabelSet(s.labels),
            entries: s.entries.map((e) => ({
              timestamp: { seconds: e.seconds, nanos: e.nanos },
              line: e.line,
            })),
          })),
        }),
      ),
    );
  const toJson = (
    streams: {
      labels: Record<string, string>;
      entries: { seconds: number; nanos: number; line: string }[];
    }[],
  ) =>
    new TextEncoder().encode(
      JSON.stringify({
        streams: streams.map((s) => ({
          stream: s.labels,
          values: s.entries.map((e) => [`${e.seconds}${String(e.nanos).padStart(9, '0')}`, e.line]),
        })),
      }),
    );

  it('decodes snappy protobuf and JSON to the same events, with stable ids', () => {
    fc.assert(
      fc.property(pushArb, (streams) => {
        const a = decodeLokiPush(toProto(streams), 'protobuf', ctx);
        const b = decodeLokiPush(toJson(streams), 'json', ctx);
        if (!a.ok || !b.ok) throw new Error('decode failed');
        expect(a.value.events).toEqual(b.value.events);
        expect(a.value.events).toHaveLength(streams.reduce((n, s) => n + s.entries.length, 0));
        for (const e of a.value.events) expect(telemetryEventType.check(e)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('gives typed errors for truncated snappy, corrupt protobuf and wrong JSON shapes', () => {
    fc.assert(
      fc.property(pushArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (streams, at, byte) => {
        const body = toProto(streams);
        const cut = decodeLokiPush(body.subarray(0, at % body.length), 'protobuf', ctx);
        if (!cut.ok) expect(['BAD_SNAPPY', 'BAD_PROTOBUF', 'BAD_SHAPE']).toContain(cut.error.code);
        const flipped = Uint8Array.from(body);
        flipped[at % flipped.length] = byte;
        const bad = decodeLokiPush(flipped, 'protobuf', ctx);
        if (!bad.ok)
          expect(['BAD_SNAPPY', 'BAD_PROTOBUF', 'BAD_SHAPE', 'PAYLOAD_TOO_LARGE']).toContain(
            bad.error.code,
          );
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = decodeLokiPush(new TextEncoder().encode(JSON.stringify(value)), 'json', ctx);
        if (!out.ok) expect(['BAD_JSON', 'BAD_SHAPE']).toContain(out.error.code);
      }),
      { numRuns: 300 },
    );
    const wrong = decodeLokiPush(
      new TextEncoder().encode('{"streams":[{"stream":{},"values":[[1,"x"]]}]}'),
      'json',
      ctx,
    );
    expect(!wrong.ok && wrong.error.code).toBe('BAD_SHAPE');
  });
});
