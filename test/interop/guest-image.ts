/**
 * The guest image: Debian's own kernel (as an uncompressed vmlinux) and an uncompressed cpio
 * initramfs holding pppd, pptp-linux, pptpd, iproute2, iperf3, busybox and dash, all from
 * Debian packages fetched with apt-get download. Built once per set of package versions and
 * kept in $VPDN_GUEST_CACHE (default /var/tmp/vpdn-guest).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { encodeCpio, type CpioEntry } from './cpio-newc.js';
import { candidateVersions, directDepends, downloadDebs, extractDeb, kernelImagePackage } from './debian-packages.js';
import { collectRootfs, type PackageTree } from './guest-rootfs.js';
import { BUILD_TOOLS, requireHostTools } from './host-tools.js';
import { planModules } from './kernel-modules.js';
import { extractVmlinux } from './vmlinux.js';

/** Bump when the way the image is put together changes, so cached images are rebuilt. */
const IMAGE_FORMAT = 1;

/** Program packages and the files (merged-/usr paths) taken from each. */
const PROGRAMS: { name: string; include: RegExp }[] = [
  { name: 'ppp', include: /^(usr\/sbin\/pppd$|usr\/lib\/pppd\/|etc\/ppp\/)/ },
  { name: 'pptp-linux', include: /^(usr\/sbin\/pptp|etc\/ppp\/options\.pptp)$/ },
  { name: 'pptpd', include: /^(usr\/sbin\/(pptpd|pptpctrl)$|usr\/lib\/pptpd\/|etc\/pptpd\.conf$|etc\/ppp\/pptpd-options$)/ },
  { name: 'busybox-static', include: /^usr\/bin\/busybox$/ },
  { name: 'iproute2', include: /^(usr\/bin\/(ip|ss)$|usr\/sbin\/ip$|etc\/iproute2\/)/ },
  { name: 'iperf3', include: /^usr\/bin\/iperf3$/ },
  { name: 'dash', include: /^usr\/bin\/(dash|sh)$/ },
];

/** PPP and its compressors, the virtio devices, the 9p share, and GRE tunnels for host checks. */
const MODULES = [
  'ppp_generic',
  'ppp_async',
  'ppp_synctty',
  'ppp_mppe',
  'ppp_deflate',
  'bsd_comp',
  'slhc',
  'virtio_pci',
  'virtio_net',
  '9pnet',
  '9pnet_virtio',
  '9p',
  'ip_gre',
];

const GUEST_FILES = ['rc', 'runner', 'inittab'];

export interface GuestImage {
  dir: string;
  vmlinux: string;
  initramfs: string;
  kernelVersion: string;
  key: string;
  /** Every package the image holds files of, with its version. */
  packages: Record<string, string>;
  /** False when the cached image was used. */
  built: boolean;
  /** Time spent in ensureGuestImage. */
  ms: number;
}

interface Manifest {
  key: string;
  kernelVersion: string;
  packages: Record<string, string>;
  modules: string[];
  buildMs: number;
}

export function guestCacheDir(): string {
  return process.env.VPDN_GUEST_CACHE || '/var/tmp/vpdn-guest';
}

function guestFilesDir(): string {
  return join(repoRoot, 'test', 'interop', 'guest');
}

function imageKey(main: Map<string, string>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ IMAGE_FORMAT, PROGRAMS: PROGRAMS.map((p) => [p.name, p.include.source]), MODULES }));
  for (const [n, v] of [...main].sort()) h.update(`${n}=${v}\n`);
  for (const f of GUEST_FILES) h.update(readFileSync(join(guestFilesDir(), f)));
  return h.digest('hex').slice(0, 16);
}

function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path) || !existsSync(join(dir, 'vmlinux')) || !existsSync(join(dir, 'initramfs.cpio'))) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** Returns the cached image for the current package versions, building it first if needed. */
export function ensureGuestImage(log: (line: string) => void = () => {}): GuestImage {
  const t0 = Date.now();
  requireHostTools(BUILD_TOOLS);
  const cache = guestCacheDir();
  const images = join(cache, 'images');
  const cached = existsSync(images) ? readdirSync(images).map((k) => readManifest(join(images, k))) : [];
  // One apt-cache call answers both "which key now" and "is the cached image current"; the
  // kernel meta package's version changes whenever the image package it points at does.
  const wanted = ['linux-image-amd64', ...PROGRAMS.map((p) => p.name)];
  const known = cached.flatMap((m) => (m ? Object.keys(m.packages) : []));
  const now = candidateVersions([...new Set([...wanted, ...known])]);
  const key = imageKey(new Map(wanted.map((n) => [n, now.get(n)!])));
  const dir = join(images, key);
  const image = (m: Manifest, built: boolean): GuestImage => ({
    dir,
    vmlinux: join(dir, 'vmlinux'),
    initramfs: join(dir, 'initramfs.cpio'),
    kernelVersion: m.kernelVersion,
    key,
    packages: m.packages,
    built,
    ms: Date.now() - t0,
  });
  const hit = readManifest(dir);
  // Libraries may have had (security) updates without the programs changing.
  if (hit && hit.key === key && Object.entries(hit.packages).every(([n, v]) => now.get(n) === v)) {
    return image(hit, false);
  }

  const kernelPkg = kernelImagePackage();
  const main = candidateVersions([kernelPkg, ...PROGRAMS.map((p) => p.name)]);
  log(`building guest image ${key} in ${cache}`);
  const work = join(cache, `build-${process.pid}-${Date.now()}`);
  try {
    const { manifest, debFiles } = buildImage(cache, work, kernelPkg, main, key, log);
    manifest.buildMs = Date.now() - t0;
    writeFileSync(join(work, 'out', 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(cache, 'images'), { recursive: true });
    renameSync(join(work, 'out'), dir);
    // Keep the cache to one image.
    for (const old of readdirSync(join(cache, 'images'))) {
      if (old !== key) rmSync(join(cache, 'images', old), { recursive: true, force: true });
    }
    for (const deb of readdirSync(join(cache, 'debs'))) {
      if (!debFiles.has(deb)) rmSync(join(cache, 'debs', deb), { force: true });
    }
    return image(manifest, true);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function buildImage(
  cache: string,
  work: string,
  kernelPkg: string,
  main: Map<string, string>,
  key: string,
  log: (line: string) => void,
): { manifest: Manifest; debFiles: Set<string> } {
  const debs = join(cache, 'debs');
  const debFiles = new Set<string>();
  const trees = new Map<string, PackageTree>();
  const versions = new Map<string, string>();
  const fetch = (wanted: Map<string, string>): void => {
    const files = downloadDebs(debs, wanted);
    for (const [name, deb] of files) {
      debFiles.add(basename(deb));
      const tree = { name, dir: join(work, 'x', name) };
      extractDeb(deb, tree.dir);
      trees.set(name, tree);
      versions.set(name, wanted.get(name)!);
    }
  };
  fetch(main);
  log(`fetched ${main.size} packages`);

  // Shared libraries: fetch the dependencies of what is in use until every DT_NEEDED resolves.
  const programs = PROGRAMS.map((p) => ({ tree: trees.get(p.name)!, include: p.include }));
  let rootfs = collectRootfs({ programs, libraries: [] });
  for (let round = 0; rootfs.unresolved.length > 0; round++) {
    const inUse = [...PROGRAMS.map((p) => p.name), ...rootfs.libraryPackages];
    const deps = new Set([...directDepends(inUse).values()].flat().filter((d) => !trees.has(d)));
    if (deps.size === 0 || round > 6) {
      throw new Error(`guest image: no Debian package provides ${rootfs.unresolved.join(', ')}`);
    }
    fetch(candidateVersions([...deps]));
    const libraries = [...trees.values()].filter((t) => t.name !== kernelPkg && !PROGRAMS.some((p) => p.name === t.name));
    rootfs = collectRootfs({ programs, libraries });
  }
  log(`libraries from ${[...rootfs.libraryPackages].sort().join(' ')}`);

  // Kernel: modules.dep is made by depmod at install time, so run it on the unpacked tree.
  const kroot = trees.get(kernelPkg)!.dir;
  const kernelVersion = readdirSync(join(kroot, 'lib', 'modules'))[0];
  execFileSync('depmod', ['-b', kroot, kernelVersion], { stdio: ['ignore', 'ignore', 'pipe'] });
  const mdir = join(kroot, 'lib', 'modules', kernelVersion);
  const plan = planModules(
    readFileSync(join(mdir, 'modules.dep'), 'utf8'),
    readFileSync(join(mdir, 'modules.builtin'), 'utf8'),
    MODULES,
  );

  const out = join(work, 'out');
  mkdirSync(out, { recursive: true });
  extractVmlinux(join(kroot, 'boot', `vmlinuz-${kernelVersion}`), join(out, 'vmlinux'));

  const entries = new Map<string, CpioEntry>();
  for (const [path, node] of rootfs.files) {
    entries.set(
      path,
      node.kind === 'file'
        ? { path, kind: 'file', mode: node.mode, data: readFileSync(node.source) }
        : { path, kind: 'symlink', target: node.target },
    );
  }
  const moduleNames: string[] = [];
  for (const rel of plan.order) {
    const src = join(mdir, rel);
    const name = rel.slice(rel.lastIndexOf('/') + 1).replace(/\.ko\.xz$/, '.ko');
    if (rel.endsWith('.zst') || rel.endsWith('.gz')) throw new Error(`guest image: cannot unpack module ${rel}`);
    const data = rel.endsWith('.xz') ? execFileSync('xz', ['-dc', src], { maxBuffer: 64 << 20 }) : readFileSync(src);
    entries.set(`usr/lib/modules/${name}`, { path: `usr/lib/modules/${name}`, kind: 'file', data });
    moduleNames.push(name);
  }
  const busybox = join(trees.get('busybox-static')!.dir, 'bin', 'busybox');
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const a of applets) {
    if (a === 'busybox' || !/^[\w.-]+$/.test(a)) continue;
    if (entries.has(`usr/bin/${a}`) || entries.has(`usr/sbin/${a}`)) continue;
    entries.set(`usr/bin/${a}`, { path: `usr/bin/${a}`, kind: 'symlink', target: 'busybox' });
  }
  const text = (path: string, body: string, mode = 0o644): void => {
    entries.set(path, { path, kind: 'file', mode, data: Buffer.from(body) });
  };
  for (const f of GUEST_FILES) {
    const data = readFileSync(join(guestFilesDir(), f));
    const path = f === 'inittab' ? 'etc/inittab' : `etc/vpdn/${f}`;
    entries.set(path, { path, kind: 'file', mode: f === 'inittab' ? 0o644 : 0o755, data });
  }
  text('etc/vpdn/modules', moduleNames.join('\n') + '\n');
  text('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  text('etc/group', 'root:x:0:\n');
  text('etc/hosts', '127.0.0.1 localhost\n');
  text('etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files\n');
  text('etc/ppp/chap-secrets', '# client server secret addresses\n', 0o600);
  text('etc/ppp/pap-secrets', '# client server secret addresses\n', 0o600);
  const links: [string, string][] = [
    ['init', '/usr/bin/busybox'],
    ['bin', 'usr/bin'],
    ['sbin', 'usr/sbin'],
    ['lib', 'usr/lib'],
    ['lib64', 'usr/lib64'],
    ['var/run', '/run'],
    ['var/lock', '/run/lock'],
  ];
  for (const [path, target] of links) entries.set(path, { path, kind: 'symlink', target });
  entries.set('dev/console', { path: 'dev/console', kind: 'chardev', major: 5, minor: 1 });
  entries.set('dev/null', { path: 'dev/null', kind: 'chardev', mode: 0o666, major: 1, minor: 3 });

  const dirs = new Set(['proc', 'sys', 'dev', 'run', 'tmp', 'share', 'root', 'var/log', 'usr/sbin', 'etc/ppp/peers']);
  for (const p of [...entries.keys(), ...dirs]) {
    const parts = p.split('/');
    for (let i = 1; i <= parts.length - (dirs.has(p) ? 0 : 1); i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const dirEntries: CpioEntry[] = [...dirs]
    .sort()
    .map((path) => ({ path, kind: 'dir', mode: path === 'tmp' ? 0o1777 : 0o755 }));
  const cpio = encodeCpio([...dirEntries, ...[...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1))]);
  writeFileSync(join(out, 'initramfs.cpio'), cpio);

  const packages: Record<string, string> = {};
  for (const n of [...main.keys(), ...rootfs.libraryPackages].sort()) packages[n] = versions.get(n)!;
  log(`image: ${entries.size} files, initramfs ${(cpio.length / 1e6).toFixed(1)} MB, kernel ${kernelVersion}`);
  return { manifest: { key, kernelVersion, packages, modules: moduleNames, buildMs: 0 }, debFiles };
}
