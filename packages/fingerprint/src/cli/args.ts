/** Minimal flag parsing shared by the command-line tools. */
import { parseArgs } from 'node:util';

/** Parsed flags: strings for value flags, booleans for switches. */
export type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** Parses known flags; prints usage and exits 0 on --help, 2 on unknown flags. */
export function parseFlags(
  usage: string,
  options: Readonly<Record<string, { type: 'boolean' | 'string' }>>,
): Flags {
  try {
    const { values } = parseArgs({
      options: { ...options, help: { type: 'boolean' } },
      allowPositionals: false,
    });
    if (values['help'] === true) {
      process.stdout.write(usage);
      process.exit(0);
    }
    return values;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}

/** A string flag's value, if given. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}
