export { createCollectorServer } from './server.ts';
export type { CollectorServer, CollectorServerOptions, RumEndpointOptions } from './server.ts';
