/** The RADIUS codec (RFC 2865, 2866, 2548, 3579, 5176, 5997), in one import. */
export * from './radius-codes.js';
export * from './radius-packet.js';
export * from './radius-values.js';
export * from './radius-authenticator.js';
export * from './radius-hiding.js';
export * from './radius-microsoft.js';
