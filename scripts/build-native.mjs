#!/usr/bin/env node
/* global process, console, URL */
// Builds the native I/O addon (binding.gyp -> build/Release/vpdn_io.node) with node-gyp,
// offline: it compiles against the headers installed next to this node binary
// (<prefix>/include/node) instead of letting node-gyp download them. node-gyp comes from
// npm itself: $npm_config_node_gyp inside npm scripts, else npm's bundled copy.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = resolve(new URL('..', import.meta.url).pathname);
const prefix = resolve(dirname(process.execPath), '..');

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    /* not a project dependency */
  }
  return candidates.find((p) => p && existsSync(p));
}

const gyp = findNodeGyp();
if (!gyp) {
  console.error('build-native: node-gyp not found (it ships with npm; set npm_config_node_gyp)');
  process.exit(1);
}
// node-gyp reads npm_config_* from the environment over its own flags, so pass nodedir there,
// unless the user configured one.
const env = { ...process.env };
const nodedirKey = Object.keys(env).find((k) => k.toLowerCase() === 'npm_config_nodedir');
if (!(nodedirKey && env[nodedirKey]) && existsSync(join(prefix, 'include/node/node_api.h'))) {
  if (nodedirKey) delete env[nodedirKey];
  env.npm_config_nodedir = prefix;
}
const r = spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: root, stdio: 'inherit', env });
if (r.status !== 0) {
  console.error('build-native: node-gyp failed; it needs python3, make and a C compiler');
  process.exit(r.status ?? 1);
}
