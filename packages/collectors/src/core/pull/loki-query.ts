import { CollectorError, err, ok, type Result } from '../errors.ts';
import { Rejections } from '../otlp/common.ts';
import { parseLokiJsonStreams, type LokiStream } from '../loki/push.ts';
import { arrayField, isObj } from '../values.ts';

/** Parses a Loki `query_range` response of resultType `streams`. */
export function parseLokiQueryRange(body: unknown): Result<LokiStream[]> {
  if (!isObj(body) || body['status'] !== 'success' || !isObj(body['data'])) {
    return err(
      new CollectorError('BAD_SHAPE', 'query_range: expected {status:"success",data:{...}}'),
    );
  }
  const data = body['data'];
  if (data['resultType'] !== 'streams') {
    return err(
      new CollectorError('BAD_SHAPE', `query_range: resultType must be streams (a log query)`),
    );
  }
  const result = arrayField(data, 'result');
  if (!result)
    return err(new CollectorError('BAD_SHAPE', 'query_range: data.result must be an array'));
  const rejections = new Rejections();
  const streams = parseLokiJsonStreams(result, rejections);
  if (rejections.count > 0) {
    return err(new CollectorError('BAD_SHAPE', `query_range: ${rejections.message()}`));
  }
  return ok(streams);
}
