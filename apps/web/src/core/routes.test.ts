import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRoute, toHref, type Route } from './routes.ts';

describe('routes', () => {
  it('parses the console pages', () => {
    expect(parseRoute('')).toEqual({ page: 'journeys' });
    expect(parseRoute('#/')).toEqual({ page: 'journeys' });
    expect(parseRoute('#/journeys?service=cart')).toEqual({ page: 'journeys', service: 'cart' });
    expect(parseRoute('#/journeys/j%2F1')).toEqual({ page: 'journey', id: 'j/1' });
    expect(parseRoute('#/artifacts/a1')).toEqual({ page: 'artifact', id: 'a1' });
    expect(parseRoute('#/recommendations')).toEqual({ page: 'recommendations' });
    expect(parseRoute('#/nope/x/y')).toEqual({ page: 'not-found', path: '/nope/x/y' });
    expect(parseRoute('#/journeys/%E0%A4%A')).toEqual({
      page: 'not-found',
      path: '/journeys/%E0%A4%A',
    });
  });

  it('round-trips every route through its href', () => {
    const id = fc.string({ minLength: 1, maxLength: 20 });
    const route: fc.Arbitrary<Route> = fc.oneof(
      fc.constant<Route>({ page: 'journeys' }),
      id.map((service): Route => ({ page: 'journeys', service })),
      id.map((i): Route => ({ page: 'journey', id: i })),
      id.map((i): Route => ({ page: 'artifact', id: i })),
      fc.constant<Route>({ page: 'recommendations' }),
    );
    fc.assert(
      fc.property(route, (r) => {
        expect(parseRoute(toHref(r))).toEqual(r);
      }),
    );
  });
});
