/** `slo-redact`: redacts stdin line by line to stdout. */
import { pipeline } from 'node:stream/promises';
import { createRedactStream } from '../adapters/node/streams.ts';
import { summarizeFindings } from '../core/redact/redactor.ts';
import { parseFlags, stringFlag } from './args.ts';

const usage = `Usage: slo-redact [--json] [--report] [--mode placeholder|pseudonym|mask|remove] [--key K]
  Reads lines on stdin, writes each line redacted to stdout, same order.
  --json     treat each line as a JSON record
  --report   print a summary of what was found to stderr
  --key      pseudonym key (or env SLO_REDACT_KEY) for --mode pseudonym
`;

const flags = parseFlags(usage, {
  json: { type: 'boolean' },
  report: { type: 'boolean' },
  mode: { type: 'string' },
  key: { type: 'string' },
});
const counts: Record<string, number> = {};
let lines = 0;
const mode = (stringFlag(flags, 'mode') ?? 'placeholder') as
  'placeholder' | 'pseudonym' | 'mask' | 'remove';
const key = stringFlag(flags, 'key') ?? process.env['SLO_REDACT_KEY'];
const modes = ['placeholder', 'pseudonym', 'mask', 'remove'];
if (!modes.includes(mode) || (mode === 'pseudonym' && key === undefined)) {
  process.stderr.write(
    `slo-redact: --mode must be one of ${modes.join(', ')}; pseudonym needs --key\n`,
  );
  process.exit(2);
}
try {
  await pipeline(
    process.stdin,
    createRedactStream({
      json: flags['json'] === true,
      redactor: { mode, ...(key === undefined ? {} : { pseudonymKey: key }) },
      onFindings: (f) => {
        lines++;
        for (const [kind, n] of Object.entries(summarizeFindings(f))) {
          counts[kind] = (counts[kind] ?? 0) + n;
        }
      },
    }),
    process.stdout,
  );
} catch (error) {
  process.stderr.write(`slo-redact: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
if (flags['report'] === true) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stderr.write(`${JSON.stringify({ lines, findings: total, byKind: counts })}\n`);
}
