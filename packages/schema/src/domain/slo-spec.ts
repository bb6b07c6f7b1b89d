import type { SliKind, SliRatio } from './sli.ts';

/** Version tag of {@link SloSpec}. */
export const SLO_SPEC_API_VERSION = 'slo-scout/v1';

/** A Prometheus-style duration: `5m`, `1h`, `30d`, `4w`. */
export type DurationString = string;

/** One objective of an SLO. */
export interface SloObjective {
  readonly displayName?: string;
  /** Target ratio of good events, 0 < target < 1 (e.g. 0.999). */
  readonly target: number;
}

/** How the SLO alerts; names and labels go straight into the generated rules. */
export interface SloAlerting {
  /** Alert name; default derived from the SLO name. */
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly pageLabels?: Readonly<Record<string, string>>;
  readonly ticketLabels?: Readonly<Record<string, string>>;
  /** Low-traffic guard: at least this many events in the long window before paging. */
  readonly minEvents?: number;
  readonly pageDisabled?: boolean;
  readonly ticketDisabled?: boolean;
}

/** The indicator an SLO is computed from. */
export interface SloIndicator {
  readonly name: string;
  readonly kind: SliKind;
  readonly ratio: SliRatio;
  readonly thresholdSeconds?: number;
}

/**
 * An SLO, modelled on OpenSLO v1 (an SLO with an inline ratio SLI, a rolling time window,
 * occurrences budgeting and objectives) with SLO-Scout's alerting section.
 */
export interface SloSpec {
  readonly apiVersion: typeof SLO_SPEC_API_VERSION;
  readonly kind: 'SLO';
  readonly metadata: {
    /** DNS-1123 label: lowercase letters, digits and `-`. */
    readonly name: string;
    readonly displayName?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly service: string;
    readonly description?: string;
    readonly journeyId?: string;
    /** Owning team, used for CODEOWNERS-style approvals. */
    readonly owner?: string;
    readonly indicator: SloIndicator;
    readonly timeWindow: { readonly duration: DurationString; readonly isRolling: true };
    readonly budgetingMethod: 'Occurrences';
    readonly objectives: readonly SloObjective[];
    readonly alerting?: SloAlerting;
  };
}
