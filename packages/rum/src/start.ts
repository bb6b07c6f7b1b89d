import { createRum, type Rum, type RumOptions } from './client.ts';
import { jsErrors } from './plugins/errors.ts';
import { failedRequests } from './plugins/network.ts';
import { routeChanges } from './plugins/routes.ts';
import { webVitals } from './plugins/vitals.ts';

/**
 * Starts RUM with every instrumentation (route changes, JS errors, failed requests, web vitals)
 * plus any extra `options.plugins`. Use {@link createRum} with chosen plugins for a smaller bundle.
 *
 * @example
 * const rum = startRum({ endpoint: 'https://rum.example/rum/v1/beacon', service: 'shop' });
 * rum.setJourney('checkout', 'payment');
 * cookieBanner.onAccept(() => rum.setConsent(true));
 */
export function startRum(options: RumOptions): Rum {
  return createRum({
    ...options,
    plugins: [
      routeChanges(),
      jsErrors(),
      failedRequests(),
      webVitals(),
      ...(options.plugins ?? []),
    ],
  });
}
