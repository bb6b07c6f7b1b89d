import fc from 'fast-check';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../proto/decode.ts';
import { messages } from '../proto/messages.ts';
import { snappyDecompress } from '../snappy.ts';
import {
  classifyMetricNames,
  decodeReadResponse,
  encodeReadRequest,
  seriesToEvents,
} from './remote-read.ts';

const seriesArb = fc.array(
  fc.record({
    labels: fc.dictionary(fc.stringMatching(/^[a-z_]{1,6}$/), fc.string({ maxLength: 6 }), {
      maxKeys: 3,
    }),
    samples: fc.array(
      fc.record({
        timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
        value: fc.double({ noNaN: true }),
      }),
      { maxLength: 5 },
    ),
  }),
  { maxLength: 4 },
);
const encodeResponse = (
  series: { labels: Record<string, string>; samples: { timestamp: number; value: number }[] }[],
) =>
  compressSync(
    Buffer.from(
      encodeMessage(messages.readResponse, {
        results: [
          {
            timeseries: series.map((s) => ({
              labels: Object.entries(s.labels).map(([name, value]) => ({ name, value })),
              samples: s.samples,
            })),
          },
        ],
      }),
    ),
  );

describe('remote read codec', () => {
  it('round-trips ReadResponse series through snappy and protobuf', () => {
    fc.assert(
      fc.property(seriesArb, (series) => {
        const out = decodeReadResponse(encodeResponse(series), 1 << 22);
        if (!out.ok) throw out.error;
        expect(out.value[0]!.map((s) => s.labels)).toEqual(series.map((s) => s.labels));
        expect(out.value[0]!.map((s) => s.samples.map((x) => x.timestampMs))).toEqual(
          series.map((s) => s.samples.map((x) => x.timestamp)),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('never throws on truncated or corrupt responses', () => {
    fc.assert(
      fc.property(seriesArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (series, at, byte) => {
        const body = Uint8Array.from(encodeResponse(series));
        body[at % body.length] = byte;
        for (const input of [body, body.subarray(0, at % body.length)]) {
          const out = decodeReadResponse(input, 1 << 22);
          if (!out.ok)
            expect(['BAD_SNAPPY', 'BAD_PROTOBUF', 'PAYLOAD_TOO_LARGE']).toContain(out.error.code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('encodes a SAMPLES ReadRequest and validates queries', () => {
    const bytes = encodeReadRequest([
      { matchers: [{ type: '=~', name: 'job', value: 'a.*' }], startMs: 1, endMs: 2 },
    ]);
    const raw = snappyDecompress(bytes, 1 << 16);
    if (!raw.ok) throw raw.error;
    const decoded = messages.readRequest.toObject(messages.readRequest.decode(raw.value), {
      longs: Number,
    });
    expect(decoded).toEqual({
      queries: [
        {
          startTimestampMs: 1,
          endTimestampMs: 2,
          matchers: [{ type: 2, name: 'job', value: 'a.*' }],
        },
      ],
      acceptedResponseTypes: [0],
    });
    expect(() => encodeReadRequest([{ matchers: [], startMs: 1, endMs: 2 }])).toThrow();
  });

  it('turns samples into metric events with stable ids and classifies names', () => {
    const events = seriesToEvents(
      [
        {
          labels: { __name__: 'http_requests_total', job: 'api', code: '500' },
          samples: [{ timestampMs: 5, value: 3 }],
        },
      ],
      9,
    );
    expect(events[0]).toMatchObject({
      service: 'api',
      metric_type: 'counter',
      metric_labels: { job: 'api', code: '500' },
    });
    expect(
      seriesToEvents(
        [
          {
            labels: { job: 'api', code: '500', __name__: 'http_requests_total' },
            samples: [{ timestampMs: 5, value: 4 }],
          },
        ],
        1,
      )[0]!.event_id,
    ).toBe(events[0]!.event_id);
    expect(
      classifyMetricNames([
        'http_server_request_duration_seconds_bucket',
        'http_server_request_duration_seconds_count',
        'api_requests_total',
        'traces_spanmetrics_calls_total',
        'up',
      ]),
    ).toEqual({
      histograms: ['http_server_request_duration_seconds'],
      requestCounters: ['api_requests_total'],
      spanmetrics: ['traces_spanmetrics_calls_total'],
      other: ['up'],
    });
  });
});
