export { createApiServer, API_VERSION } from './server.ts';
export type { ApiServerOptions } from './server.ts';
export {
  createApiKey,
  ensureAdminKey,
  generateApiKey,
  hashApiKey,
  hasScope,
  isApiKeyFormat,
  API_KEY_SCOPES,
} from './keys.ts';
export type { CreateApiKeyOptions, CreatedApiKey, EnsuredAdminKey } from './keys.ts';
export { ApiError, toHttpError, toErrorBody } from './errors.ts';
export type { ApiErrorCode, ErrorBody, HttpError, CodedError } from './errors.ts';
