/**
 * A small notation for the argument shape of each command, and a backtracking matcher over
 * tokens. Notation:
 *   word          keyword (case-insensitive); `word*` matches a prefix ('Cryptochecksum:*')
 *   'x'           quoted keyword (for '|')
 *   <name>        any word; <name:TYPE> a typed word (see SHAPES), or secret / text / line
 *   <name:a|b|c>  one of the keywords (or just <name:a>), captured
 *   [ ... ]       optional;  ( a | b )  alternatives;  { ... }  zero or more
 * The shapes let the unfolder find where a folded command ends (see unfold.ts).
 */
import type { Token } from './tokens.js';

export const SHAPES: Record<string, RegExp> = {
  ip: /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/,
  iprange: /^\d{1,3}(\.\d{1,3}){3}(-\d{1,3}(\.\d{1,3}){3})?$/,
  int: /^\d{1,10}$/,
  time: /^\d+:\d\d(:\d\d)?$/,
  paren: /^\(.*\)$/,
  level: /^([0-7]|emergencies|alerts|critical|errors|warnings|notifications|informational|debugging)$/i,
  transport: /^(udp|tcp|6|17)\/\d+$/i,
  speed: /^(auto|aui|bnc|\d+(base[a-z]*|full|auto|sxfull)?)$/i,
  fixuparg: /^(\d+(-\d+)?|strict|udp|tcp|error|maximum-length)$/i,
  port: /^[\w.-]+$/,
};

/** How a shaped word is described in error messages. */
const HINTS: Record<string, string> = {
  ip: 'A.B.C.D',
  iprange: 'A.B.C.D[-E.F.G.H]',
  int: 'a number',
  time: 'H:MM:SS',
  paren: '(interface)',
  level: '0-7 or a level name',
  transport: 'udp/PORT',
};

export type GNode =
  | { t: 'lit'; word: string; prefix: boolean }
  | { t: 'choice'; name: string; words: string[] }
  | { t: 'slot'; name: string; kind: string }
  | { t: 'seq'; items: GNode[] }
  | { t: 'opt'; item: GNode }
  | { t: 'alt'; alts: GNode[] }
  | { t: 'rep'; item: GNode };

export type Caps = Record<string, string[]>;

export interface MatchState {
  pos: number;
  caps: Caps;
  /** Token indexes consumed by secret slots (masked in listings and messages). */
  secrets: number[];
}

export interface Furthest {
  /** First token index that could not be matched. */
  pos: number;
  /** What the grammar wanted there, e.g. "'pptp'", '<pool>'. */
  expected: string[];
  state: MatchState;
}

export interface MatchEnv {
  tokens: Token[];
  /** Index of the command's first token; blank lines after it end the command. */
  start: number;
  /** True where a whole command of the vocabulary (or a comment) starts. */
  isCommandStart(i: number): boolean;
  /** True where a command word stands, complete command or not. */
  isCommandWord(i: number): boolean;
}

export function compile(syntax: string): GNode {
  const parts = syntax.match(/'[^']*'|<[^>]+>|[[\](){}|]|[^\s[\](){}|<>']+/g) ?? [];
  let i = 0;
  const parseAlt = (closer: string | null): GNode => {
    const alts: GNode[] = [parseSeq()];
    while (parts[i] === '|') {
      i++;
      alts.push(parseSeq());
    }
    if (closer !== null) {
      if (parts[i] !== closer) throw new Error(`grammar '${syntax}': expected ${closer}`);
      i++;
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  };
  const parseSeq = (): GNode => {
    const items: GNode[] = [];
    while (i < parts.length && ![']', ')', '}', '|'].includes(parts[i])) {
      const p = parts[i++];
      if (p === '[') items.push({ t: 'opt', item: parseAlt(']') });
      else if (p === '(') items.push(parseAlt(')'));
      else if (p === '{') items.push({ t: 'rep', item: parseAlt('}') });
      else if (p.startsWith("'")) items.push({ t: 'lit', word: p.slice(1, -1).toLowerCase(), prefix: false });
      else if (p.startsWith('<')) items.push(slot(p.slice(1, -1), syntax));
      else if (p.endsWith('*')) items.push({ t: 'lit', word: p.slice(0, -1).toLowerCase(), prefix: true });
      else items.push({ t: 'lit', word: p.toLowerCase(), prefix: false });
    }
    return items.length === 1 ? items[0] : { t: 'seq', items };
  };
  const node = parseAlt(null);
  if (i !== parts.length) throw new Error(`grammar '${syntax}': unexpected ${parts[i]}`);
  return node;
}

function slot(inner: string, syntax: string): GNode {
  const [name, kind = 'word'] = inner.split(':');
  if (['word', 'secret', 'text', 'line'].includes(kind) || kind in SHAPES) return { t: 'slot', name, kind };
  if (!/^[\w+-]+(\|[\w+-]+)*$/.test(kind)) throw new Error(`grammar '${syntax}': bad slot ${inner}`);
  return { t: 'choice', name, words: kind.split('|').map((w) => w.toLowerCase()) };
}

/** The leading keyword of a grammar (how the command is recognised). */
export function headOf(node: GNode): { word: string; prefix: boolean } {
  let n = node;
  while (n.t === 'seq') n = n.items[0];
  if (n.t !== 'lit') throw new Error('a command grammar must start with a keyword');
  return { word: n.word, prefix: n.prefix };
}

/** The longest way `node` matches from `from` (null if none), and where matching got stuck. */
export function match(node: GNode, env: MatchEnv, from: number): { best: MatchState | null; furthest: Furthest } {
  const start: MatchState = { pos: from, caps: {}, secrets: [] };
  const furthest: Furthest = { pos: from, expected: [], state: start };
  const states = run(node, start, false, env, furthest);
  let best: MatchState | null = null;
  for (const s of states) if (best === null || s.pos > best.pos) best = s;
  return { best, furthest };
}

function available(env: MatchEnv, i: number): boolean {
  return i < env.tokens.length && (i === env.start || !env.tokens[i].afterBlank);
}

function capture(s: MatchState, name: string, value: string, pos: number, secret = false): MatchState {
  const caps = { ...s.caps, [name]: [...(s.caps[name] ?? []), value] };
  return { pos, caps, secrets: secret ? [...s.secrets, s.pos] : s.secrets };
}

function fail(f: Furthest, s: MatchState, what: string): void {
  if (s.pos > f.pos) {
    f.pos = s.pos;
    f.expected = [what];
    f.state = s;
  } else if (s.pos === f.pos && !f.expected.includes(what)) {
    f.expected.push(what);
  }
}

function dedupe(states: MatchState[]): MatchState[] {
  if (states.length < 2) return states;
  const seen = new Set<number>();
  return states.filter((s) => (seen.has(s.pos) ? false : (seen.add(s.pos), true)));
}

function run(node: GNode, s: MatchState, optional: boolean, env: MatchEnv, f: Furthest): MatchState[] {
  const tok = env.tokens[s.pos];
  switch (node.t) {
    case 'lit': {
      const w = tok?.text.toLowerCase();
      const ok = w !== undefined && (node.prefix ? w.startsWith(node.word) : w === node.word);
      if (ok && available(env, s.pos) && !(optional && tok.first && env.isCommandStart(s.pos))) {
        return [{ ...s, pos: s.pos + 1 }];
      }
      fail(f, s, `'${node.word}'`);
      return [];
    }
    case 'choice': {
      const w = tok?.text.toLowerCase();
      if (available(env, s.pos) && w !== undefined && node.words.includes(w) && !(optional && tok.first && env.isCommandStart(s.pos))) {
        return [capture(s, node.name, w, s.pos + 1)];
      }
      fail(f, s, node.words.join('|'));
      return [];
    }
    case 'slot':
      return runSlot(node, s, optional, env, f);
    case 'seq': {
      let states = [s];
      for (const item of node.items) {
        states = states.length === 1 ? run(item, states[0], optional, env, f) : dedupe(states.flatMap((st) => run(item, st, optional, env, f)));
        if (states.length === 0) break;
      }
      return states;
    }
    case 'opt':
      return dedupe([...run(node.item, s, true, env, f), s]);
    case 'alt':
      return dedupe(node.alts.flatMap((a) => run(a, s, optional, env, f)));
    case 'rep': {
      const all = [s];
      let frontier = [s];
      for (let guard = 0; frontier.length > 0 && guard < 256; guard++) {
        frontier = dedupe(frontier.flatMap((st) => run(node.item, st, true, env, f).filter((n) => n.pos > st.pos)));
        all.unshift(...frontier);
      }
      return dedupe(all);
    }
  }
}

function runSlot(node: { name: string; kind: string }, s: MatchState, optional: boolean, env: MatchEnv, f: Furthest): MatchState[] {
  const { tokens } = env;
  const i = s.pos;
  if (node.kind === 'text' || node.kind === 'line') {
    let j = i;
    const line = tokens[i - 1]?.line;
    while (available(env, j) && (node.kind === 'line' ? tokens[j].line === line : !env.isCommandStart(j))) j++;
    return [capture(s, node.name, tokens.slice(i, j).map((t) => t.text).join(' '), j)];
  }
  const tok = tokens[i];
  const what = `<${node.name}>` + (HINTS[node.kind] === undefined ? '' : ` (${HINTS[node.kind]})`);
  if (!available(env, i) || tok === undefined) {
    fail(f, s, what);
    return [];
  }
  // A command word that starts a line begins the next command, not this one's argument;
  // in optional positions so does any whole command.
  const lineStart = tok.first && env.isCommandWord(i);
  let ok: boolean;
  if (node.kind === 'word') ok = !lineStart && !(optional && env.isCommandStart(i));
  else if (node.kind === 'secret') ok = !lineStart;
  else ok = SHAPES[node.kind].test(tok.text) && !(optional && tok.first && env.isCommandStart(i));
  if (!ok) {
    fail(f, s, what);
    return [];
  }
  return [capture(s, node.name, tok.text, i + 1, node.kind === 'secret')];
}
