/**
 * The guest's files, taken from unpacked Debian packages: the wanted programs of each main
 * package plus every shared library they need (DT_NEEDED closure, with the ELF interpreter).
 * Paths are folded into Debian's merged-/usr layout (bin/ -> usr/bin/, lib/ -> usr/lib/, ...).
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { elfLinkage, isElf } from './elf-needed.js';
import { isDecodeError } from '../../src/wire/errors.js';

export type FsNode = { kind: 'file'; source: string; mode: number } | { kind: 'symlink'; target: string };

export interface PackageTree {
  name: string;
  /** Where dpkg-deb -x unpacked it. */
  dir: string;
}

export interface RootfsSpec {
  /** Packages whose files matching `include` (merged-/usr paths) go in whole. */
  programs: { tree: PackageTree; include: RegExp }[];
  /** Packages searched for the shared libraries those programs need. */
  libraries: PackageTree[];
}

export interface Rootfs {
  files: Map<string, FsNode>;
  /** Library names no tree provides yet (the caller fetches more packages). */
  unresolved: string[];
  /** Which package each included library came from. */
  libraryPackages: Set<string>;
}

const LIB_DIRS = ['usr/lib/x86_64-linux-gnu/', 'usr/lib64/'];

/** Folds a package path into the merged-/usr layout; no leading slash. */
export function mergedUsrPath(path: string): string {
  const p = path.replace(/^\/+/, '');
  return /^(bin|sbin|lib|lib64)(\/|$)/.test(p) ? `usr/${p}` : p;
}

function walkTree(root: string): Map<string, FsNode> {
  const out = new Map<string, FsNode>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = join(root, r);
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(r);
      else if (st.isSymbolicLink()) out.set(mergedUsrPath(r), { kind: 'symlink', target: readlinkSync(abs) });
      else if (st.isFile()) out.set(mergedUsrPath(r), { kind: 'file', source: abs, mode: st.mode & 0o7777 });
    }
  };
  walk('');
  return out;
}

export function collectRootfs(spec: RootfsSpec): Rootfs {
  const files = new Map<string, FsNode>();
  const trees = new Map<string, Map<string, FsNode>>();
  for (const t of [...spec.programs.map((p) => p.tree), ...spec.libraries]) trees.set(t.name, walkTree(t.dir));

  // Library file name -> [package, path] for every library directory in every tree.
  const libIndex = new Map<string, { pkg: string; path: string }>();
  for (const [pkg, tree] of trees) {
    for (const path of tree.keys()) {
      const dir = LIB_DIRS.find((d) => path.startsWith(d) && !path.slice(d.length).includes('/'));
      if (dir && !libIndex.has(path.slice(dir.length))) libIndex.set(path.slice(dir.length), { pkg, path });
    }
  }

  const queue: string[] = [];
  const libraryPackages = new Set<string>();
  const scan = (node: FsNode): void => {
    if (node.kind !== 'file') return;
    const bytes = readFileSync(node.source);
    if (!isElf(bytes)) return;
    const l = elfLinkage(bytes);
    if (isDecodeError(l)) throw new Error(`${node.source}: ${l.toString()}`);
    if (l.interp) queue.push(l.interp);
    queue.push(...l.needed);
  };
  // Adds a path from a package tree, following symlinks to what they name.
  const addPath = (pkg: string, path: string, depth = 0): boolean => {
    if (files.has(path)) return true;
    const node = trees.get(pkg)?.get(path);
    if (!node || depth > 8) return false;
    files.set(path, node);
    if (node.kind === 'symlink') {
      const target = node.target.startsWith('/')
        ? mergedUsrPath(node.target)
        : posix.normalize(posix.join(posix.dirname(path), node.target));
      const owner = [...trees.keys()].find((p) => trees.get(p)!.has(target)) ?? pkg;
      addPath(owner, target, depth + 1);
    } else scan(node);
    return true;
  };

  for (const { tree, include } of spec.programs) {
    for (const path of trees.get(tree.name)!.keys()) if (include.test(path)) addPath(tree.name, path);
  }
  const unresolved = new Set<string>();
  const seen = new Set<string>();
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const hit = name.includes('/')
      ? [...trees.keys()].map((pkg) => ({ pkg, path: mergedUsrPath(name) })).find((h) => trees.get(h.pkg)!.has(h.path))
      : libIndex.get(name);
    if (!hit) {
      unresolved.add(name);
      continue;
    }
    libraryPackages.add(hit.pkg);
    addPath(hit.pkg, hit.path);
  }
  return { files, unresolved: [...unresolved].sort(), libraryPackages };
}
