/** The bench's result: figures with the reference measured in the same run, aims, and the table. */

export interface Reference {
  name: string;
  value: number | string;
  unit: string;
}

export interface Figure {
  /** Which part of issue 8 (or which helper's bench) it belongs to. */
  section: string;
  name: string;
  value: number | string;
  unit: string;
  reference?: Reference;
  /** The aim, as text ("≥ 1000 sessions/s"), and whether this run met it. */
  aim?: string;
  met?: boolean;
  /** How it was measured, or why it misses its aim. */
  note?: string;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryMiB: number;
  node: string;
  kernel: string;
  /** 1-minute load average when the run started and ended (other work on the machine). */
  loadBefore: number;
  loadAfter: number;
}

export interface BenchReport {
  date: string;
  command: string;
  mode: 'full' | 'quick';
  seconds: number;
  machine: Machine;
  figures: Figure[];
  /** CPU profile summaries (with --profile), by scenario. */
  profiles: Record<string, string>;
  /** Parts that failed to run, with the error. */
  failures: string[];
}

function show(v: number | string, unit: string): string {
  const text = typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : String(v)) : v;
  return unit ? `${text} ${unit}` : text;
}

/** A plain-text table, one line per figure, grouped by section. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    show(f.value, f.unit),
    f.reference ? `${show(f.reference.value, f.reference.unit)} (${f.reference.name})` : '',
    f.aim ? `${f.aim}: ${f.met ? 'met' : 'MISSED'}` : '',
  ]);
  const head = ['section', 'figure', 'value', 'reference, same run', 'aim'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-+-')];
  let last = '';
  for (const [i, r] of rows.entries()) {
    out.push(line(r[0] === last ? ['', ...r.slice(1)] : r));
    last = r[0]!;
    // Notes go under their figure, unpadded: they are often longer than the columns.
    const note = figures[i]!.note;
    if (note) out.push(`${''.padEnd(widths[0]!)} |   ${note}`);
  }
  return out.join('\n');
}

/** The same table in Markdown, for BENCHMARKS.md. */
export function formatMarkdown(figures: readonly Figure[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const out = ['| section | figure | value | reference (same run) | aim |', '|---|---|---|---|---|'];
  for (const f of figures) {
    const ref = f.reference ? `${show(f.reference.value, f.reference.unit)} (${f.reference.name})` : '';
    const aim = f.aim ? `${f.aim}: ${f.met ? 'met' : '**missed**'}` : '';
    const name = f.note ? `${f.name} — ${f.note}` : f.name;
    out.push(`| ${esc(f.section)} | ${esc(name)} | ${esc(show(f.value, f.unit))} | ${esc(ref)} | ${esc(aim)} |`);
  }
  return out.join('\n');
}
