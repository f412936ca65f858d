/**
 * Which kernel modules the guest loads, in load order, from depmod's modules.dep (each line
 * "path: dep dep ..."), skipping those built into the kernel (modules.builtin).
 */

export interface ModulePlan {
  /** Module files relative to /lib/modules/<version>, dependencies first. */
  order: string[];
  /** Wanted modules that are built in and need no loading. */
  builtin: string[];
}

/** Module name of a path: kernel/fs/9p/9p.ko.xz -> 9p; dashes and underscores are the same. */
export function moduleName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

export function planModules(modulesDep: string, modulesBuiltin: string, wanted: string[]): ModulePlan {
  const deps = new Map<string, { path: string; deps: string[] }>();
  for (const line of modulesDep.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon).trim();
    const list = line.slice(colon + 1).trim().split(/\s+/).filter(Boolean);
    deps.set(moduleName(path), { path, deps: list.map(moduleName) });
  }
  const builtinNames = new Set(modulesBuiltin.split('\n').filter(Boolean).map(moduleName));
  const order: string[] = [];
  const builtin: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    if (done.has(name)) return;
    if (chain.includes(name)) throw new Error(`module dependency cycle: ${[...chain, name].join(' -> ')}`);
    const m = deps.get(name);
    if (!m) {
      if (builtinNames.has(name)) {
        done.add(name);
        builtin.push(name);
        return;
      }
      throw new Error(`kernel module ${name} is neither in modules.dep nor built in`);
    }
    for (const d of m.deps) visit(d, [...chain, name]);
    done.add(name);
    order.push(m.path);
  };
  for (const w of wanted) visit(w.replace(/-/g, '_'), []);
  return { order, builtin };
}
