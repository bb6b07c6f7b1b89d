/**
 * Loads a Result-returning call and keeps its outcome. `key` names the request (its inputs): a new
 * key loads again, and so does `reload`. The newest `load` function is always the one called.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result } from '../errors.ts';

/** A load in progress, or its outcome. */
export type LoadState<T> = { readonly loading: true } | ({ readonly loading: false } & Result<T>);

/** Runs `load` for `key`, again when `key` changes or `reload` is called. */
export function useResult<T>(
  key: string,
  load: () => Promise<Result<T>>,
): { state: LoadState<T>; reload: () => void } {
  const [done, setDone] = useState<{ key: string; result: Result<T> } | undefined>();
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  const fullKey = `${key}#${tick}`;
  useEffect(() => {
    let live = true;
    void latest.current().then((result) => {
      if (live) setDone({ key: fullKey, result });
    });
    return () => {
      live = false;
    };
  }, [fullKey]);
  const reload = useCallback(() => {
    setTick((t) => t + 1);
  }, []);
  const state: LoadState<T> =
    done !== undefined && done.key === fullKey
      ? { loading: false, ...done.result }
      : { loading: true };
  return { state, reload };
}
