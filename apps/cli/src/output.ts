/** Progress on long steps (listr2 on a TTY, silent otherwise or with --json), tables and JSON. */
import Table from 'cli-table3';
import { Listr } from 'listr2';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A finished step and how long it took. */
export interface StepTiming {
  readonly step: string;
  readonly ms: number;
  readonly detail?: string;
}

/** Runs named steps with a progress display; remembers how long each took. */
export interface Progress {
  /** Runs `fn` as a step; `update` sets the line shown under it (e.g. a progress bar). */
  step<T>(title: string, fn: (update: (detail: string) => void) => Promise<T>): Promise<T>;
  /** Attaches a detail to the last finished step (shown in the summary and the JSON). */
  note(detail: string): void;
  readonly timings: readonly StepTiming[];
}

/** A text progress bar: `[#######-------] 48% 12000/25000`. */
export function bar(done: number, total: number, width = 24): string {
  const ratio = total <= 0 ? 1 : Math.min(1, done / total);
  const full = Math.round(ratio * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${Math.round(ratio * 100)}% ${done}/${total}`;
}

/** Creates the progress display: animated on a TTY, silent when piped or with `--json`. */
export function createProgress(io: Io, options: { readonly json: boolean }): Progress {
  const animated = !options.json && io.stderr.isTTY === true && io.env['CI'] === undefined;
  const timings: StepTiming[] = [];
  return {
    timings,
    note(detail) {
      const last = timings.pop();
      if (last) timings.push({ ...last, detail });
    },
    async step(title, fn) {
      const started = performance.now();
      let result: { value: Awaited<ReturnType<typeof fn>> } | undefined;
      const list = new Listr(
        [
          {
            title,
            task: async (_ctx, task) => {
              result = {
                value: await fn((detail) => {
                  task.output = detail;
                }),
              };
              task.title = `${title} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
            },
            rendererOptions: { outputBar: 1, persistentOutput: false },
          },
        ],
        {
          renderer: animated ? 'default' : 'silent',
          exitOnError: true,
          registerSignalListeners: false,
          collectErrors: false,
        },
      );
      await list.run();
      timings.push({ step: title, ms: Math.round(performance.now() - started) });
      return result!.value;
    },
  };
}

/** Renders rows as a bordered table (plain ASCII when not a TTY). */
export function table(
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  tty: boolean,
): string {
  const t = new Table({
    head: [...head],
    style: { head: tty ? ['cyan'] : [], border: tty ? ['grey'] : [] },
    ...(tty
      ? {}
      : {
          chars: {
            top: '-',
            'top-mid': '+',
            'top-left': '+',
            'top-right': '+',
            bottom: '-',
            'bottom-mid': '+',
            'bottom-left': '+',
            'bottom-right': '+',
            left: '|',
            'left-mid': '+',
            mid: '-',
            'mid-mid': '+',
            right: '|',
            'right-mid': '+',
            middle: '|',
          },
        }),
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

/** Writes a value as one JSON document on stdout. */
export function writeJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
