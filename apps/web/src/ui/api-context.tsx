/** The API client of the signed-in user, shared by every page. */
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.ts';

/** What pages get from the shell. */
export interface ApiContextValue {
  readonly api: ApiClient;
  /** The API's current time anchor for history ranges (latest data), epoch ms. */
  readonly nowMs: () => number;
}

/** Set by the shell once a key is known. */
export const ApiContext = createContext<ApiContextValue | undefined>(undefined);

/** The API client; throws outside the signed-in shell (a bug, not a user error). */
export function useApi(): ApiContextValue {
  const v = useContext(ApiContext);
  if (v === undefined) throw new Error('useApi outside ApiContext');
  return v;
}
