import protobuf from 'protobufjs/light.js';

/**
 * Protobuf message definitions declared from the published wire formats (field numbers and types
 * as documented by opentelemetry-proto v1, Loki's push API and Prometheus remote read). No .proto
 * file is copied: protobufjs compiles these descriptors into fast codecs at load time.
 */
const f = (type: string, id: number, rule?: 'repeated') =>
  rule ? { type, id, rule } : { type, id };

const descriptor = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: {
            value: {
              oneof: [
                'stringValue',
                'boolValue',
                'intValue',
                'doubleValue',
                'arrayValue',
                'kvlistValue',
                'bytesValue',
              ],
            },
          },
          fields: {
            stringValue: f('string', 1),
            boolValue: f('bool', 2),
            intValue: f('int64', 3),
            doubleValue: f('double', 4),
            arrayValue: f('ArrayValue', 5),
            kvlistValue: f('KeyValueList', 6),
            bytesValue: f('bytes', 7),
          },
        },
        ArrayValue: { fields: { values: f('AnyValue', 1, 'repeated') } },
        KeyValueList: { fields: { values: f('KeyValue', 1, 'repeated') } },
        KeyValue: { fields: { key: f('string', 1), value: f('AnyValue', 2) } },
        InstrumentationScope: {
          fields: {
            name: f('string', 1),
            version: f('string', 2),
            attributes: f('KeyValue', 3, 'repeated'),
            droppedAttributesCount: f('uint32', 4),
          },
        },
        Resource: {
          fields: {
            attributes: f('KeyValue', 1, 'repeated'),
            droppedAttributesCount: f('uint32', 2),
          },
        },
        ExportTraceServiceRequest: { fields: { resourceSpans: f('ResourceSpans', 1, 'repeated') } },
        ResourceSpans: {
          fields: {
            resource: f('Resource', 1),
            scopeSpans: f('ScopeSpans', 2, 'repeated'),
            schemaUrl: f('string', 3),
          },
        },
        ScopeSpans: {
          fields: {
            scope: f('InstrumentationScope', 1),
            spans: f('Span', 2, 'repeated'),
            schemaUrl: f('string', 3),
          },
        },
        Span: {
          fields: {
            traceId: f('bytes', 1),
            spanId: f('bytes', 2),
            traceState: f('string', 3),
            parentSpanId: f('bytes', 4),
            flags: f('fixed32', 16),
            name: f('string', 5),
            kind: f('int32', 6),
            startTimeUnixNano: f('fixed64', 7),
            endTimeUnixNano: f('fixed64', 8),
            attributes: f('KeyValue', 9, 'repeated'),
            droppedAttributesCount: f('uint32', 10),
            events: f('SpanEvent', 11, 'repeated'),
            droppedEventsCount: f('uint32', 12),
            links: f('SpanLink', 13, 'repeated'),
            droppedLinksCount: f('uint32', 14),
            status: f('Status', 15),
          },
        },
        SpanEvent: {
          fields: {
            timeUnixNano: f('fixed64', 1),
            name: f('string', 2),
            attributes: f('KeyValue', 3, 'repeated'),
            droppedAttributesCount: f('uint32', 4),
          },
        },
        SpanLink: {
          fields: {
            traceId: f('bytes', 1),
            spanId: f('bytes', 2),
            traceState: f('string', 3),
            attributes: f('KeyValue', 4, 'repeated'),
            droppedAttributesCount: f('uint32', 5),
            flags: f('fixed32', 6),
          },
        },
        Status: { fields: { message: f('string', 2), code: f('int32', 3) } },
        ExportTracePartialSuccess: {
          fields: { rejectedSpans: f('int64', 1), errorMessage: f('string', 2) },
        },
        ExportTraceServiceResponse: {
          fields: { partialSuccess: f('ExportTracePartialSuccess', 1) },
        },
        ExportLogsServiceRequest: { fields: { resourceLogs: f('ResourceLogs', 1, 'repeated') } },
        ResourceLogs: {
          fields: {
            resource: f('Resource', 1),
            scopeLogs: f('ScopeLogs', 2, 'repeated'),
            schemaUrl: f('string', 3),
          },
        },
        ScopeLogs: {
          fields: {
            scope: f('InstrumentationScope', 1),
            logRecords: f('LogRecord', 2, 'repeated'),
            schemaUrl: f('string', 3),
          },
        },
        LogRecord: {
          fields: {
            timeUnixNano: f('fixed64', 1),
            observedTimeUnixNano: f('fixed64', 11),
            severityNumber: f('int32', 2),
            severityText: f('string', 3),
            body: f('AnyValue', 5),
            attributes: f('KeyValue', 6, 'repeated'),
            droppedAttributesCount: f('uint32', 7),
            flags: f('fixed32', 8),
            traceId: f('bytes', 9),
            spanId: f('bytes', 10),
            eventName: f('string', 12),
          },
        },
        ExportLogsPartialSuccess: {
          fields: { rejectedLogRecords: f('int64', 1), errorMessage: f('string', 2) },
        },
        ExportLogsServiceResponse: {
          fields: { partialSuccess: f('ExportLogsPartialSuccess', 1) },
        },
      },
    },
    loki: {
      nested: {
        PushRequest: { fields: { streams: f('StreamAdapter', 1, 'repeated') } },
        StreamAdapter: {
          fields: {
            labels: f('string', 1),
            entries: f('EntryAdapter', 2, 'repeated'),
            hash: f('uint64', 3),
          },
        },
        EntryAdapter: {
          fields: {
            timestamp: f('Timestamp', 1),
            line: f('string', 2),
            structuredMetadata: f('LabelPairAdapter', 3, 'repeated'),
          },
        },
        LabelPairAdapter: { fields: { name: f('string', 1), value: f('string', 2) } },
        Timestamp: { fields: { seconds: f('int64', 1), nanos: f('int32', 2) } },
      },
    },
    prometheus: {
      nested: {
        ReadRequest: {
          fields: {
            queries: f('Query', 1, 'repeated'),
            acceptedResponseTypes: f('int32', 2, 'repeated'),
          },
        },
        Query: {
          fields: {
            startTimestampMs: f('int64', 1),
            endTimestampMs: f('int64', 2),
            matchers: f('LabelMatcher', 3, 'repeated'),
          },
        },
        LabelMatcher: {
          fields: { type: f('int32', 1), name: f('string', 2), value: f('string', 3) },
        },
        ReadResponse: { fields: { results: f('QueryResult', 1, 'repeated') } },
        QueryResult: { fields: { timeseries: f('TimeSeries', 1, 'repeated') } },
        TimeSeries: {
          fields: { labels: f('Label', 1, 'repeated'), samples: f('Sample', 2, 'repeated') },
        },
        Label: { fields: { name: f('string', 1), value: f('string', 2) } },
        Sample: { fields: { value: f('double', 1), timestamp: f('int64', 2) } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** A compiled protobuf message type. */
export type MessageType = protobuf.Type;

/** Looks up a compiled message type, e.g. `otlp.Span`. */
export function messageType(name: string): MessageType {
  return root.lookupType(name);
}

/** The compiled OTLP, Loki and Prometheus remote-read message types. */
export const messages = {
  traceRequest: messageType('otlp.ExportTraceServiceRequest'),
  traceResponse: messageType('otlp.ExportTraceServiceResponse'),
  logsRequest: messageType('otlp.ExportLogsServiceRequest'),
  logsResponse: messageType('otlp.ExportLogsServiceResponse'),
  lokiPush: messageType('loki.PushRequest'),
  readRequest: messageType('prometheus.ReadRequest'),
  readResponse: messageType('prometheus.ReadResponse'),
} as const;
