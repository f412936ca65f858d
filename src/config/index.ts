/** The configuration module's public API (SPEC §2). */
export type * from './model.js';
export { parseConfig, loadConfigFile } from './parse.js';
export { formatConfig } from './format.js';
export { summarizeConfig, summarizeIgnored } from './summary.js';
export { unfoldConfig } from './unfold.js';
export { aaaServer, authenticationFor, groupPool, groupServerAddress } from './resolve.js';
export { DEFAULTS } from './defaults.js';
export { LEVEL_NAMES, levelName, parseLevel } from './levels.js';
