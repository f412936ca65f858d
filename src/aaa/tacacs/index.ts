/** TACACS+ back end (RFC 8907): authenticator and accounting. */
export { TacacsAuthenticator, TACACS_NO_MPPE_NOTE } from './authenticator.js';
export { TacacsAccounting } from './accounting.js';
export type { TacacsOptions, TacacsHostOptions } from './options.js';
