import { SLO_SPEC_API_VERSION, type Journey, type Sli, type SloSpec } from '@slo-scout/schema';

/** Options of {@link toSloSpec}. */
export interface ToSloSpecOptions {
  /** Target ratio of good events, e.g. 0.999. */
  readonly target: number;
  /** Rolling window; default `30d`. */
  readonly window?: string;
  readonly description?: string;
  readonly owner?: string;
  /** Low-traffic guard copied to `spec.alerting.minEvents`. */
  readonly minEvents?: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Wraps an SLI and a target into an `slo-scout/v1` SloSpec (validate with `parseSloSpec`). */
export function toSloSpec(sli: Sli, journey: Journey, options: ToSloSpecOptions): SloSpec {
  return {
    apiVersion: SLO_SPEC_API_VERSION,
    kind: 'SLO',
    metadata: {
      name: sli.name,
      displayName: `${journey.name} ${sli.kind}`,
      labels: { journey: journey.id, sli_kind: sli.kind },
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
    },
    spec: {
      service: journey.entryService,
      description: options.description ?? sli.description,
      journeyId: journey.id,
      ...(options.owner === undefined ? {} : { owner: options.owner }),
      indicator: {
        name: sli.name,
        kind: sli.kind,
        ratio: sli.ratio,
        ...(sli.thresholdSeconds === undefined ? {} : { thresholdSeconds: sli.thresholdSeconds }),
      },
      timeWindow: { duration: options.window ?? '30d', isRolling: true },
      budgetingMethod: 'Occurrences',
      objectives: [{ target: options.target }],
      ...(options.minEvents === undefined ? {} : { alerting: { minEvents: options.minEvents } }),
    },
  };
}
