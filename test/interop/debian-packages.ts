/**
 * Debian package look-ups and downloads through apt's own tools (apt-cache, apt-get download,
 * dpkg-deb). Needs the package lists, i.e. `apt-get update` having run on the host.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Candidate version of each package; throws naming those apt does not know. */
export function candidateVersions(packages: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of run('apt-cache', ['policy', ...packages]).split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) current = head[1];
    const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
    if (cand && current && cand[1] !== '(none)') out.set(current, cand[1]);
  }
  const missing = packages.filter((p) => !out.has(p));
  if (missing.length > 0) {
    throw new Error(
      `apt has no candidate for ${missing.join(', ')}: run \`apt-get update\` first (Debian 12 main + security)`,
    );
  }
  return out;
}

/** Depends and Pre-Depends of each package (first of each alternative group, no virtual names). */
export function directDepends(packages: string[]): Map<string, string[]> {
  const text = run('apt-cache', [
    'depends',
    '--no-recommends',
    '--no-suggests',
    '--no-conflicts',
    '--no-breaks',
    '--no-replaces',
    '--no-enhances',
    ...packages,
  ]);
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  let skipNext = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      current = [];
      out.set(line.trim(), current);
      skipNext = false;
      continue;
    }
    const m = /^ (\|| )(?:Pre)?Depends: (\S+)/.exec(line);
    if (!m || !current) continue;
    const alternativeFollows = m[1] === '|';
    if (!skipNext && !m[2].startsWith('<')) current.push(m[2].replace(/:any$/, ''));
    skipNext = alternativeFollows;
  }
  return out;
}

/** The versioned kernel image package linux-image-amd64 points at, e.g. linux-image-6.1.0-56-amd64. */
export function kernelImagePackage(): string {
  const deps = directDepends(['linux-image-amd64']).get('linux-image-amd64') ?? [];
  const image = deps.find((d) => /^linux-image-6\.1\.[\w.-]*-amd64$/.test(d));
  if (!image) throw new Error(`linux-image-amd64 does not depend on a linux-image-6.1.*-amd64 package (${deps.join(', ')})`);
  return image;
}

function debFileName(dir: string, name: string, version: string): string | undefined {
  const prefix = `${name}_${version.replace(/:/g, '%3a')}_`;
  return readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
}

/** Downloads (into dir, once) each name=version; returns the .deb path of each. */
export function downloadDebs(dir: string, wanted: Map<string, string>): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const missing = [...wanted].filter(([n, v]) => debFileName(dir, n, v) === undefined);
  if (missing.length > 0) run('apt-get', ['download', '-q', ...missing.map(([n, v]) => `${n}=${v}`)], dir);
  const out = new Map<string, string>();
  for (const [n, v] of wanted) {
    const f = debFileName(dir, n, v);
    if (!f) throw new Error(`apt-get download did not produce ${n} ${v} in ${dir}`);
    out.set(n, join(dir, f));
  }
  return out;
}

export function extractDeb(deb: string, dest: string): void {
  if (!existsSync(dest)) mkdirSync(dest, { recursive: true });
  run('dpkg-deb', ['-x', deb, dest]);
}
