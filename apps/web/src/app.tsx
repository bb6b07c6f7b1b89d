/**
 * The console's shell: skip link, banner with navigation, the main landmark holding the current
 * page, and the sign-in gate. Routes live in the URL hash; a route change moves focus to the new
 * page's heading.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient, type FetchLike } from './api/client.ts';
import { parseRoute, toHref, type Route } from './core/routes.ts';
import type { WebError } from './errors.ts';
import { ArtifactPage } from './pages/artifact-page.tsx';
import { JourneyPage } from './pages/journey-page.tsx';
import { JourneysPage } from './pages/journeys-page.tsx';
import { RecommendationsPage } from './pages/recommendations-page.tsx';
import { clearKey, readKey, saveKey, type KeyStorage } from './session.ts';
import { ApiContext, type ApiContextValue } from './ui/api-context.tsx';
import { KeyForm } from './ui/key-form.tsx';
import { FocusOnRouteContext, PageHeading } from './ui/page-heading.tsx';

/** Props of {@link App}; everything the browser provides comes in here. */
export interface AppProps {
  readonly storage: KeyStorage | undefined;
  readonly fetch?: FetchLike;
  readonly now: () => number;
}

function useHashRoute(): [Route, (r: Route) => void, boolean] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  const [moved, setMoved] = useState(false);
  useEffect(() => {
    const on = () => {
      setRoute(parseRoute(window.location.hash));
      setMoved(true);
    };
    window.addEventListener('hashchange', on);
    return () => {
      window.removeEventListener('hashchange', on);
    };
  }, []);
  const navigate = useCallback((r: Route) => {
    window.location.hash = toHref(r).slice(1);
  }, []);
  return [route, navigate, moved];
}

function Page({ route, navigate }: { route: Route; navigate: (r: Route) => void }) {
  switch (route.page) {
    case 'journeys':
      return (
        <JourneysPage
          {...(route.service === undefined ? {} : { service: route.service })}
          onServiceChange={(service) => {
            navigate(service === undefined ? { page: 'journeys' } : { page: 'journeys', service });
          }}
        />
      );
    case 'journey':
      return <JourneyPage id={route.id} navigate={navigate} />;
    case 'recommendations':
      return <RecommendationsPage navigate={navigate} />;
    case 'artifact':
      return <ArtifactPage id={route.id} />;
    case 'not-found':
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <p>
            Nothing lives at <code>{route.path}</code>.{' '}
            <a href={toHref({ page: 'journeys' })}>Go to the journeys</a>.
          </p>
        </>
      );
  }
}

/** The whole console. */
export function App({ storage, fetch, now }: AppProps) {
  const [key, setKey] = useState(() => readKey(storage));
  const [route, navigate, navigated] = useHashRoute();
  const href = toHref(route);
  const [signedIn, setSignedIn] = useState(false);
  // Focus moves to the heading on every page shown after the first one.
  const moved = navigated || signedIn;
  const [anchor, setAnchor] = useState<number | undefined>();

  const client = useMemo(
    () =>
      key === undefined
        ? undefined
        : createApiClient({ key, ...(fetch === undefined ? {} : { fetch }) }),
    [key, fetch],
  );

  // The history charts end at the newest data the API holds, not at the browser's clock.
  useEffect(() => {
    if (client === undefined) return;
    void client.status().then((r) => {
      if (r.ok && r.value.lastWindowMs !== null) setAnchor(r.value.lastWindowMs);
    });
  }, [client]);

  const ctx = useMemo<ApiContextValue | undefined>(
    () => (client === undefined ? undefined : { api: client, nowMs: () => anchor ?? now() }),
    [client, anchor, now],
  );

  const signIn = async (k: string): Promise<WebError | undefined> => {
    const probe = createApiClient({ key: k, ...(fetch === undefined ? {} : { fetch }) });
    const r = await probe.status();
    if (!r.ok) return r.error;
    // When storage refuses (private mode) the key still lives in memory for this page.
    saveKey(storage, k);
    setKey(k.trim());
    setSignedIn(true);
    return undefined;
  };

  const signOut = () => {
    clearKey(storage);
    setKey(undefined);
  };

  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="banner">
        <p className="brand">SLO-Scout</p>
        {ctx === undefined ? null : (
          <nav aria-label="Main">
            <ul>
              <li>
                <a
                  href={toHref({ page: 'journeys' })}
                  aria-current={
                    route.page === 'journeys' || route.page === 'journey' ? 'page' : undefined
                  }
                >
                  Services and journeys
                </a>
              </li>
              <li>
                <a
                  href={toHref({ page: 'recommendations' })}
                  aria-current={route.page === 'recommendations' ? 'page' : undefined}
                >
                  Recommendations
                </a>
              </li>
            </ul>
          </nav>
        )}
        {ctx === undefined ? null : (
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <FocusOnRouteContext.Provider value={moved}>
          {ctx === undefined ? (
            <KeyForm onSubmit={signIn} />
          ) : (
            <ApiContext.Provider value={ctx}>
              <Page key={href} route={route} navigate={navigate} />
            </ApiContext.Provider>
          )}
        </FocusOnRouteContext.Provider>
      </main>
    </>
  );
}
