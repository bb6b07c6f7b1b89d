// Boots the fingerprint worker thread: the pipeline runs from TypeScript sources through tsx, and
// a worker thread does not inherit the loader, so it registers tsx before importing its module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.main);
