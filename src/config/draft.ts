/** The model under construction, with the line numbers the cross-reference checks need. */
import { DEFAULTS, emptyConfig } from './defaults.js';
import type { AaaHostConfig, ConfigError, IgnoredCommand, VpdnConfig } from './model.js';

/** A host line waits for the end of the file: its tag's protocol decides which options are valid. */
export interface PendingHost {
  tag: string;
  line: number;
  host: AaaHostConfig;
  explicitAuthPort: boolean;
  explicitAcctPort: boolean;
  tacacsOnly: string[];
  radiusOnly: string[];
}

export interface PendingTagSetting {
  tag: string;
  line: number;
  apply(config: VpdnConfig): string | undefined;
}

/** Where things were configured (for error lines), beside the model. */
export interface Sources {
  interfaces: Map<string, number>;
  pools: Map<string, number>;
  users: Map<string, number>;
  vpdnEnable: Map<string, number>;
  groups: Map<string, number>;
  groupLines: Map<string, Partial<Record<'pool' | 'auth' | 'accounting' | 'mppe' | 'serverAddress', number>>>;
  domainLines: Map<string, Map<string, number>>;
  tags: Map<string, number>;
  /** Tags whose protocol line was wrong: no follow-up errors about them. */
  brokenTags: Set<string>;
  hosts: PendingHost[];
  tagSettings: PendingTagSetting[];
  loggingHosts: { line: number; interface: string }[];
  radiusAuthPort: number;
  radiusAcctPort: number;
}

export interface Draft {
  config: VpdnConfig;
  errors: ConfigError[];
  ignored: IgnoredCommand[];
  src: Sources;
}

/** The PIX built-in server tag for the local user list. */
export const LOCAL_TAG = 'LOCAL';

export function newDraft(): Draft {
  return {
    config: emptyConfig(),
    errors: [],
    ignored: [],
    src: {
      interfaces: new Map(),
      pools: new Map(),
      users: new Map(),
      vpdnEnable: new Map(),
      groups: new Map(),
      groupLines: new Map(),
      domainLines: new Map(),
      tags: new Map(),
      brokenTags: new Set(),
      hosts: [],
      tagSettings: [],
      loggingHosts: [],
      radiusAuthPort: DEFAULTS.radiusAuthPort,
      radiusAcctPort: DEFAULTS.radiusAcctPort,
    },
  };
}
