import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { RumPlugin } from '../client.ts';

/** A metric as web-vitals reports it (the fields the SDK sends). */
export interface VitalMetric {
  readonly name: string;
  readonly value: number;
  readonly rating: string;
  readonly id: string;
  readonly navigationType?: string;
}

/** A web-vitals `onX` registration function. */
export type VitalSource = (report: (metric: VitalMetric) => void) => void;

/** Options of {@link webVitals}. */
export interface WebVitalsOptions {
  /** The metric sources; default `onLCP`, `onINP`, `onCLS`, `onFCP`, `onTTFB` from web-vitals. */
  readonly sources?: readonly VitalSource[];
}

/**
 * Core Web Vitals (LCP, INP, CLS) plus FCP and TTFB through the `web-vitals` library, one
 * `web_vital` event per final value (LCP, CLS and INP are final when the page is hidden).
 */
export function webVitals(options: WebVitalsOptions = {}): RumPlugin {
  return {
    name: 'web-vitals',
    setup({ record }) {
      let active = true;
      const report = (m: VitalMetric) => {
        if (!active) return;
        record({
          t: 'web_vital',
          name: m.name,
          value: m.value,
          rating: m.rating,
          attrs: {
            'vital.id': m.id,
            ...(m.navigationType === undefined ? {} : { 'vital.navigation': m.navigationType }),
          },
        });
      };
      const sources = options.sources ?? [onLCP, onINP, onCLS, onFCP, onTTFB];
      for (const on of sources) on(report);
      // web-vitals cannot unregister; the reporter goes quiet instead.
      return () => {
        active = false;
      };
    },
  };
}
