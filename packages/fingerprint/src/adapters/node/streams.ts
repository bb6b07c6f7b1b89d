/** Node Transform streams: bytes in, one processed line out per input line, same order. */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { createRedactor, type Redactor, type RedactorOptions } from '../../core/redact/redactor.ts';
import type { Finding } from '../../core/redact/types.ts';
import {
  createTemplateMiner,
  type TemplateMiner,
  type TemplateMinerOptions,
} from '../../core/mine/miner.ts';
import { nodeHash } from './hash.ts';

/** A Transform that applies `fn` to each input line and writes the result plus `\n`. */
function lineTransform(fn: (line: string) => string): Transform {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = (self: Transform, text: string, final: boolean) => {
    const lines = (rest + text).split('\n');
    rest = final ? '' : (lines.pop() ?? '');
    let out = '';
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      if (final && i === lines.length - 1 && raw === '') break;
      out += fn(raw.endsWith('\r') ? raw.slice(0, -1) : raw) + '\n';
    }
    if (out !== '') self.push(out);
  };
  return new Transform({
    transform(chunk: Buffer | string, _enc, cb: TransformCallback) {
      emit(this, typeof chunk === 'string' ? chunk : decoder.write(chunk), false);
      cb();
    },
    flush(cb: TransformCallback) {
      emit(this, decoder.end(), true);
      cb();
    },
  });
}

/** Options for {@link createRedactStream}. */
export interface RedactStreamOptions {
  /** Redactor options, or a compiled redactor. */
  readonly redactor?: RedactorOptions | Redactor;
  /** Treat each line as a JSON record and redact it with `redactValue`. */
  readonly json?: boolean;
  /** Called with each line's findings (for reports). */
  readonly onFindings?: (findings: readonly Finding[]) => void;
}

function toRedactor(r: RedactorOptions | Redactor | undefined): Redactor {
  if (r !== undefined && 'redact' in r) return r;
  return createRedactor({ hash: nodeHash, ...r });
}

/** A Transform stream that redacts each line (or each JSON record). */
export function createRedactStream(options: RedactStreamOptions = {}): Transform {
  const redactor = toRedactor(options.redactor);
  const report = options.onFindings;
  return lineTransform((line) => {
    if (options.json === true && line.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        const r = redactor.redact(line);
        report?.(r.findings);
        return r.text;
      }
      const r = redactor.redactValue(parsed);
      report?.(r.findings);
      return JSON.stringify(r.value);
    }
    const r = redactor.redact(line);
    report?.(r.findings);
    return r.text;
  });
}

/** Options for {@link createFingerprintStream}. */
export interface FingerprintStreamOptions {
  readonly redactor?: RedactorOptions | Redactor;
  readonly miner?: TemplateMinerOptions | TemplateMiner;
  /** Service name hashed into fingerprints; default `''`. */
  readonly service?: string;
  /** `loghub` renders every variable in `template` as `<*>`; default typed. */
  readonly format?: 'typed' | 'loghub';
}

/**
 * A Transform stream that writes one JSON object per input line:
 * `{"template","fingerprint","redacted"}`.
 */
export function createFingerprintStream(options: FingerprintStreamOptions = {}): Transform {
  const redactor = toRedactor(options.redactor);
  const m = options.miner;
  const miner = m !== undefined && 'add' in m ? m : createTemplateMiner({ hash: nodeHash, ...m });
  const service = options.service ?? '';
  const loghub = options.format === 'loghub';
  return lineTransform((line) => {
    const redacted = redactor.redact(line).text;
    const r = miner.add(redacted, service);
    return JSON.stringify({
      template: loghub ? r.wildcardTemplate : r.template,
      fingerprint: r.fingerprint,
      redacted,
    });
  });
}
