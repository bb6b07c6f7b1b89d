import type { RumPlugin } from '../client.ts';
import { clip } from '../core/beacon.ts';

/** Options of {@link jsErrors}. */
export interface JsErrorsOptions {
  /** Most errors recorded per page (error storms are cut off). Default 50. */
  readonly maxPerPage?: number;
}

interface ErrorEventLike {
  readonly message?: unknown;
  readonly filename?: unknown;
  readonly lineno?: unknown;
  readonly colno?: unknown;
  readonly error?: unknown;
}

function describe(x: unknown): { message: string; type?: string; stack?: string } {
  if (x instanceof Error) {
    return {
      message: x.message,
      type: x.name,
      ...(typeof x.stack === 'string' ? { stack: clip(x.stack, 2000) } : {}),
    };
  }
  try {
    return { message: typeof x === 'string' ? x : JSON.stringify(x) };
  } catch {
    return { message: String(x) };
  }
}

/** JS errors: uncaught exceptions (`error`) and unhandled promise rejections. */
export function jsErrors(options: JsErrorsOptions = {}): RumPlugin {
  const max = options.maxPerPage ?? 50;
  return {
    name: 'js-errors',
    setup({ env, record }) {
      let count = 0;
      const report = (x: unknown, attrs: Record<string, string | number | boolean>) => {
        if (count++ >= max) return;
        const d = describe(x);
        if (d.type !== undefined) attrs['error.type'] = d.type;
        if (d.stack !== undefined) attrs['error.stack'] = d.stack;
        record({ t: 'js_error', message: clip(d.message || 'error', 1000), attrs });
      };
      const onError = (e: ErrorEventLike) => {
        // Resource load failures also reach window 'error' listeners; they carry no message.
        if (typeof e.message !== 'string') return;
        const attrs: Record<string, string | number | boolean> = { 'error.kind': 'error' };
        if (typeof e.filename === 'string') attrs['error.source'] = clip(e.filename, 1000);
        if (typeof e.lineno === 'number') attrs['error.line'] = e.lineno;
        if (typeof e.colno === 'number') attrs['error.column'] = e.colno;
        report(e.error instanceof Error ? e.error : e.message, attrs);
      };
      const onRejection = (e: { readonly reason?: unknown }) => {
        report(e.reason, { 'error.kind': 'unhandledrejection' });
      };
      env.window.addEventListener('error', onError);
      env.window.addEventListener('unhandledrejection', onRejection);
      return () => {
        env.window.removeEventListener('error', onError);
        env.window.removeEventListener('unhandledrejection', onRejection);
      };
    },
  };
}
