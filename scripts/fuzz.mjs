#!/usr/bin/env node
/* global process, console, URL */
// Longer fuzz runs than CI's: `node scripts/fuzz.mjs [SECONDS] [--save] [--seed N] [TARGET...]`
// runs the compiled fuzz suites (npm run build first) for SECONDS per target (default 60), only
// the named targets if any (e.g. pptp-pac ppp-server). --save keeps inputs that reached new
// outcomes in test/fuzz/corpus/<target>/; crashes are always saved there as crash-<hash>.bin and
// are replayed by test/fuzz/regressions.test.ts from then on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const env = { ...process.env, VPDN_FUZZ_SECONDS: '60' };
const targets = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--save') env.VPDN_FUZZ_SAVE = '1';
  else if (a === '--seed') env.VPDN_FUZZ_SEED = args[++i];
  else if (/^\d+(\.\d+)?$/.test(a)) env.VPDN_FUZZ_SECONDS = a;
  else targets.push(a);
}
const files = ['decoders', 'engines'].map((f) => join(root, 'dist/test/fuzz', `${f}.test.js`));
if (!files.every((f) => existsSync(f))) {
  console.error('fuzz: compiled tests missing; run `npm run build` first');
  process.exit(2);
}
const pattern = targets.length > 0 ? ['--test-name-pattern', `^fuzz (${targets.join('|')})$`] : [];
console.log(`fuzz: ${env.VPDN_FUZZ_SECONDS} s per target${targets.length ? ` (${targets.join(', ')})` : ''}${env.VPDN_FUZZ_SAVE ? ', saving new inputs' : ''}`);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...pattern, ...files], { stdio: 'inherit', cwd: root, env });
process.exit(r.status ?? 1);
