/** The console's hash routes. Hash routing keeps the bundle servable as plain static files. */

/** A page of the console. */
export type Route =
  | { readonly page: 'journeys'; readonly service?: string }
  | { readonly page: 'journey'; readonly id: string }
  | { readonly page: 'recommendations' }
  | { readonly page: 'artifact'; readonly id: string }
  | { readonly page: 'not-found'; readonly path: string };

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/** Parses `location.hash` (`#/journeys/abc`) into a route; empty means the journeys page. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const [pathname = '', search = ''] = path.split('?', 2);
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'journeys')) {
    const service = new URLSearchParams(search).get('service');
    return service ? { page: 'journeys', service } : { page: 'journeys' };
  }
  if (parts.length === 1 && parts[0] === 'recommendations') return { page: 'recommendations' };
  if (parts.length === 2) {
    const id = decode(parts[1]!);
    if (id !== undefined && id !== '') {
      if (parts[0] === 'journeys') return { page: 'journey', id };
      if (parts[0] === 'artifacts') return { page: 'artifact', id };
    }
  }
  return { page: 'not-found', path: pathname };
}

/** The hash href of a route; `parseRoute(toHref(r))` gives `r` back. */
export function toHref(route: Route): string {
  switch (route.page) {
    case 'journeys':
      return route.service === undefined
        ? '#/journeys'
        : `#/journeys?service=${encodeURIComponent(route.service)}`;
    case 'journey':
      return `#/journeys/${encodeURIComponent(route.id)}`;
    case 'recommendations':
      return '#/recommendations';
    case 'artifact':
      return `#/artifacts/${encodeURIComponent(route.id)}`;
    case 'not-found':
      return `#${route.path}`;
  }
}
