export { createRum } from './client.ts';
export { startRum } from './start.ts';
export { routeChanges } from './plugins/routes.ts';
export { jsErrors } from './plugins/errors.ts';
export { failedRequests } from './plugins/network.ts';
export { webVitals } from './plugins/vitals.ts';
export { browserEnvironment } from './env.ts';
export { RumError } from './core/errors.ts';
export { isSampled, newSessionId, parseSession, touchSession } from './core/session.ts';
export { toBeacons, utf8Length, MAX_EVENTS_PER_BEACON } from './core/beacon.ts';

export type {
  ConsentState,
  Rum,
  RumEventInput,
  RumOptions,
  RumPlugin,
  RumPluginContext,
} from './client.ts';
export type { JsErrorsOptions } from './plugins/errors.ts';
export type { FailedRequestsOptions } from './plugins/network.ts';
export type { VitalMetric, VitalSource, WebVitalsOptions } from './plugins/vitals.ts';
export type {
  BeaconFetchInit,
  EventTargetLike,
  FetchLike,
  HistoryLike,
  ListenerLike,
  ListenerOptions,
  LocationLike,
  ResponseLike,
  RumDocument,
  RumEnvironment,
  RumNavigator,
  RumWindow,
  StorageLike,
  XhrLike,
} from './env.ts';
export type { RumErrorCode } from './core/errors.ts';
export type { SessionPolicy, SessionState } from './core/session.ts';
export type {
  BeaconLimits,
  EncodedBeacon,
  QueuedEvent,
  RumBeacon,
  RumBeaconEvent,
  RumEventType,
} from './core/beacon.ts';
