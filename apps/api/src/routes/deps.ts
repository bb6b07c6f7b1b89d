/** What every route module needs. */
import type { Scout } from '@slo-scout/engine';
import type { Store } from '@slo-scout/store';

/** The dependencies of the routes. */
export interface RouteDeps {
  readonly scout: Scout;
  readonly store: Store;
  readonly now: () => number;
}
