/** `slo-fingerprint`: one JSON object per stdin line with template, fingerprint and redacted text. */
import { pipeline } from 'node:stream/promises';
import { createFingerprintStream } from '../adapters/node/streams.ts';
import { parseFlags, stringFlag } from './args.ts';

const usage = `Usage: slo-fingerprint [--format typed|loghub] [--service NAME]
  Reads one message per line on stdin and writes {"template","fingerprint","redacted"} per line.
  --format loghub   render every variable in template as <*>
`;

const flags = parseFlags(usage, { format: { type: 'string' }, service: { type: 'string' } });
const format = stringFlag(flags, 'format') ?? 'typed';
if (format !== 'typed' && format !== 'loghub') {
  process.stderr.write(`slo-fingerprint: unknown format "${format}"\n${usage}`);
  process.exit(2);
}
try {
  await pipeline(
    process.stdin,
    createFingerprintStream({ format, service: stringFlag(flags, 'service') ?? '' }),
    process.stdout,
  );
} catch (error) {
  process.stderr.write(
    `slo-fingerprint: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
