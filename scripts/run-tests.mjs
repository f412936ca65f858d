#!/usr/bin/env node
// Runs the compiled test files (dist/test/**/*.test.js) with Node's own test runner.
// Arguments narrow the set: directories or files under test/ (source paths are mapped to dist).
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith('--'));
const targets = args.filter((a) => !a.startsWith('--'));
// Interop tests boot qemu guests; they run by their own script (npm run test:interop) unless named.
const defaultExclude = ['test/interop'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

function toDist(p) {
  const rel = relative(root, join(process.cwd(), p)).replace(/\.ts$/, '.js');
  return join(root, 'dist', rel);
}

let files = [];
if (targets.length === 0) {
  files = walk(join(root, 'dist/test'), []).filter(
    (f) => !defaultExclude.some((ex) => relative(join(root, 'dist'), f).startsWith(ex + '/')),
  );
} else {
  for (const t of targets) {
    const d = toDist(t);
    if (!existsSync(d)) {
      console.error(`run-tests: ${t} has no compiled form at ${d} (did the build run?)`);
      process.exit(2);
    }
    if (statSync(d).isDirectory()) walk(d, files);
    else files.push(d);
  }
}
// The pptpd-vs-vpdn bring-up timing is a measurement for BENCHMARKS.md, not a correctness check,
// and pptpd itself occasionally drops a call at 50 sessions under emulation: run it on request.
if (!process.env.VPDN_SIDE_BY_SIDE) files = files.filter((f) => !f.endsWith('side-by-side.test.js'));
files.sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...passThrough, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
