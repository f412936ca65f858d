/**
 * Split a configuration into commands. Printed PIX configurations are often folded (several
 * commands on one line, one command over several lines), so line breaks are only hints: a
 * command ends where its argument shape (commands.ts) is complete, and a word starts a new
 * command only if a whole command of the vocabulary matches from there ("strong" start).
 * A word at the start of a line that begins such a command is never taken as an argument.
 */
import { isCommandWord, specsFor, type CommandSpec } from './commands.js';
import { match, type Caps, type MatchEnv, type MatchState } from './grammar.js';
import { tokenize, type Token } from './tokens.js';

export type SegmentKind = 'command' | 'comment' | 'unknown' | 'malformed';

export interface Segment {
  kind: SegmentKind;
  /** Physical line of the first word. */
  line: number;
  /** Every word of the segment, including `no` and trailing words. */
  tokens: Token[];
  /** The grammar that matched (command) or got furthest (malformed). */
  spec?: CommandSpec;
  negated: boolean;
  caps: Caps;
  /** Indexes into `tokens` of secret words (passwords, keys). */
  secrets: number[];
  /** command: words left on the line after a complete command. malformed: where matching stopped. */
  trailing: Token[];
  /** malformed: what the grammar wanted where it stopped. */
  expected: string[];
  /** How many words matched (the whole command, or up to where matching stopped). */
  matched: number;
  /** malformed: every grammar that got as far as `spec`. */
  reached: CommandSpec[];
  /** malformed: a command of a family vpdn acts on (an error), not an inert one (ignored). */
  acting: boolean;
}

interface Candidate {
  spec: CommandSpec;
  best: MatchState | null;
  furthest: { pos: number; expected: string[]; state: MatchState };
}

class Unfolder {
  private readonly strong: boolean[];

  constructor(private readonly tokens: Token[]) {
    // Positions are decided from the end: a grammar only ever asks about later words.
    this.strong = new Array<boolean>(tokens.length).fill(false);
    for (let i = tokens.length - 1; i >= 0; i--) this.strong[i] = this.startsCommand(i);
  }

  isCommandStart = (i: number): boolean => this.strong[i] ?? false;

  /** A comment, a command word or `no` + a command word, whether or not a whole command follows. */
  isCommandWordAt = (i: number): boolean => {
    const t = this.tokens[i].text;
    return t.startsWith('!') || isCommandWord(t) || this.negatedAt(i);
  };

  private env(start: number): MatchEnv {
    return { tokens: this.tokens, start, isCommandStart: this.isCommandStart, isCommandWord: this.isCommandWordAt };
  }

  /** Grammars for the command word at `at`; with `plausible`, only those whose fixed keywords fit. */
  private candidates(at: number, start: number, plausible = false): Candidate[] {
    const env = this.env(start);
    const { tokens } = this;
    const fits = (spec: CommandSpec): boolean =>
      spec.fixed.every((f) => tokens[at + f.offset]?.text.toLowerCase() === f.word);
    return specsFor(tokens[at].text)
      .filter((spec) => !plausible || fits(spec))
      .map((spec) => ({ spec, ...match(spec.node, env, at) }));
  }

  private startsCommand(i: number): boolean {
    const t = this.tokens[i].text;
    if (t.startsWith('!')) return true;
    const negated = this.negatedAt(i);
    const at = negated ? i + 1 : i;
    if (this.candidates(at, i, true).some((c) => c.best !== null && !c.spec.fallback)) return true;
    return negated && this.candidates(at, i).some((c) => !c.spec.fallback && c.furthest.pos > at + 1);
  }

  private negatedAt(i: number): boolean {
    const next = this.tokens[i + 1];
    // Only the lower-case `no` that PIX prints: an upper-case NO is far more likely a value
    // (a Windows domain named NO) than a negation, and folded text cannot tell them apart otherwise.
    return this.tokens[i].text === 'no' && next !== undefined && !next.afterBlank && isCommandWord(next.text);
  }

  /** Index after the words from `from` on the same physical line as `lineOf`, stopping at a command start. */
  private restOfLine(from: number, lineOf: number): number {
    let j = from;
    while (j < this.tokens.length && this.tokens[j].line === lineOf && !this.tokens[j].afterBlank && !this.strong[j]) j++;
    return j;
  }

  segments(): Segment[] {
    const out: Segment[] = [];
    const { tokens } = this;
    let i = 0;
    while (i < tokens.length) {
      const seg = this.segmentAt(i);
      out.push(seg);
      i += seg.tokens.length;
    }
    return out;
  }

  private base(kind: SegmentKind, i: number, end: number): Segment {
    return {
      kind,
      line: this.tokens[i].line,
      tokens: this.tokens.slice(i, end),
      negated: false,
      caps: {},
      secrets: [],
      trailing: [],
      expected: [],
      matched: 0,
      reached: [],
      acting: false,
    };
  }

  private segmentAt(i: number): Segment {
    const { tokens } = this;
    const t = tokens[i];
    if (t.text.startsWith('!')) {
      // A comment runs until the next command (a folded comment continues on the next line).
      let j = i + 1;
      while (j < tokens.length && !tokens[j].afterBlank && !this.strong[j]) j++;
      return this.base('comment', i, j);
    }
    const negated = this.negatedAt(i);
    const at = negated ? i + 1 : i;
    if (!isCommandWord(tokens[at].text)) return this.base('unknown', i, Math.max(i + 1, this.restOfLine(i + 1, t.line)));
    const pick = (list: Candidate[]): Candidate | undefined =>
      list.reduce<Candidate | undefined>((a, c) => (a === undefined || c.best!.pos > a.best!.pos ? c : a), undefined);
    // A grammar whose fixed keywords do not fit cannot match: try the others only when none does.
    const exact = pick(this.candidates(at, i, true).filter((c) => c.best !== null && !c.spec.fallback));
    if (exact !== undefined) return this.command(i, exact.spec, negated, exact.best!);
    const cands = this.candidates(at, i);
    const full = cands.filter((c) => c.best !== null);
    const deepest = cands.reduce((a, c) => (c.furthest.pos > a.furthest.pos ? c : a));
    if (negated && deepest.furthest.pos > at + 1) {
      // `no X` may leave out X's value (`no logging console`).
      return this.command(i, deepest.spec, negated, deepest.furthest.state);
    }
    // A command whose leading keywords all matched was recognised: it is that command, malformed.
    const recognised = cands.filter((c) => !c.spec.fallback && c.furthest.pos - at >= c.spec.keywords);
    const catchAll = pick(full);
    if (recognised.length === 0 && catchAll !== undefined) return this.command(i, catchAll.spec, negated, catchAll.best!);
    const pool = recognised.length > 0 ? recognised : cands;
    const worst = pool.reduce((a, c) => (c.furthest.pos > a.furthest.pos ? c : a));
    const reached = pool.filter((c) => c.furthest.pos === worst.furthest.pos);
    const end = worst.furthest.pos;
    const stop = Math.max(end, this.restOfLine(end, tokens[Math.max(end - 1, at)].line), at + 1);
    const seg = this.finish('malformed', i, worst.spec, negated, worst.furthest.state, stop, end);
    seg.expected = [...new Set(reached.flatMap((c) => c.furthest.expected))];
    seg.reached = reached.map((c) => c.spec);
    // Recognised: that command decides; otherwise an unknown form in a family vpdn acts on is an error.
    seg.acting = recognised.length > 0 ? reached.some((c) => c.spec.act !== undefined) : cands.some((c) => c.spec.act !== undefined);
    return seg;
  }

  private command(i: number, spec: CommandSpec, negated: boolean, st: MatchState): Segment {
    const end = st.pos;
    return this.finish('command', i, spec, negated, st, this.restOfLine(end, this.tokens[end - 1].line), end);
  }

  private finish(kind: SegmentKind, i: number, spec: CommandSpec, negated: boolean, st: MatchState, stop: number, end: number): Segment {
    const seg = this.base(kind, i, stop);
    seg.spec = spec;
    seg.negated = negated;
    seg.caps = st.caps;
    seg.secrets = st.secrets.map((p) => p - i);
    seg.trailing = this.tokens.slice(end, stop);
    seg.matched = end - i;
    return seg;
  }
}

/** Split text into comments and commands (see the file comment). */
export function segmentConfig(text: string): Segment[] {
  return new Unfolder(tokenize(text, isCommandWord)).segments();
}

/** The configuration one command per line: each command's first line and its words. */
export function unfoldConfig(text: string): { line: number; text: string }[] {
  return segmentConfig(text).map((s) => ({ line: s.line, text: s.tokens.map((t) => t.text).join(' ') }));
}

/** The segment's text with secret words masked. */
export function maskedText(seg: Segment, upTo = seg.tokens.length): string {
  return seg.tokens
    .slice(0, upTo)
    .map((t, k) => (seg.secrets.includes(k) ? '*****' : t.text))
    .join(' ');
}
