/** vpdn's RADIUS client (RFC 2865, 2866), and its Dynamic Authorization Server (RFC 5176). */
export { RadiusAuthenticator } from './authenticator.js';
export { RadiusAccounting, RadiusAccountingError } from './accounting.js';
export {
  DynamicAuthorizationServer,
  type DynamicAuthorizationClient,
  type DynamicAuthorizationCounters,
  type DynamicAuthorizationOptions,
  type SessionSelector,
} from './dynamic-authorization.js';
export type { RadiusHostStatus } from './client.js';
export type { RadiusCounters } from './transport.js';
export {
  DEFAULT_ACCT_PORT,
  DEFAULT_AUTH_PORT,
  DEFAULT_DEAD_TIME_MS,
  DEFAULT_RETRIES,
  type RadiusHostOptions,
  type RadiusOptions,
} from './options.js';
