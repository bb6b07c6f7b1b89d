import type { RumPlugin } from '../client.ts';

/**
 * SPA route changes: wraps `history.pushState`/`replaceState` and listens to `popstate` and
 * `hashchange`; a `route_change` (with `attrs.from`) is recorded when the route label changes.
 */
export function routeChanges(): RumPlugin {
  return {
    name: 'route-changes',
    setup({ env, trackRoute }) {
      const win = env.window;
      const history = win.history;
      const onPop = () => {
        trackRoute();
      };
      win.addEventListener('popstate', onPop);
      win.addEventListener('hashchange', onPop);
      if (!history) {
        return () => {
          win.removeEventListener('popstate', onPop);
          win.removeEventListener('hashchange', onPop);
        };
      }
      const push = history.pushState;
      const replace = history.replaceState;
      const wrappedPush: typeof push = function (this: unknown, ...args) {
        push.apply(this, args);
        trackRoute();
      };
      const wrappedReplace: typeof replace = function (this: unknown, ...args) {
        replace.apply(this, args);
        trackRoute();
      };
      history.pushState = wrappedPush;
      history.replaceState = wrappedReplace;
      return () => {
        win.removeEventListener('popstate', onPop);
        win.removeEventListener('hashchange', onPop);
        // Only undo our own wrapper: another library may have wrapped it since.
        if (history.pushState === wrappedPush) history.pushState = push;
        if (history.replaceState === wrappedReplace) history.replaceState = replace;
      };
    },
  };
}
