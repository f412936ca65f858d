/** PPTP control protocol (RFC 2637 §2): constants, message types, codec and stream splitter. */
export * from './pptp-constants.js';
export type * from './pptp-messages.js';
export * from './pptp-codec.js';
export * from './pptp-stream.js';
