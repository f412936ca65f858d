/**
 * Words of a configuration file with their physical line. Line breaks are NOT command
 * boundaries here (printed PIX configurations are often folded); the unfolder decides those.
 */
export interface Token {
  text: string;
  /** 1-based physical line of the word's first character. */
  line: number;
  /** First word on its physical line. */
  first: boolean;
  /** A blank line (or the start of the file) comes before this word: a hard command boundary. */
  afterBlank: boolean;
}

/**
 * Split into words. A word that a fold broke at a hyphen (`aaa-` / `server`, `pptp-` / `pool`) is
 * joined again when the next line does not start with a command word.
 */
export function tokenize(text: string, isCommandWord: (word: string) => boolean): Token[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Token[] = [];
  let blank = true;
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i].split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0) {
      blank = true;
      continue;
    }
    const line = i + 1;
    let k = 0;
    const prev = out[out.length - 1];
    if (
      prev !== undefined &&
      !blank &&
      prev.line === line - 1 &&
      prev.text.length > 1 &&
      prev.text.endsWith('-') &&
      !isCommandWord(words[0])
    ) {
      prev.text += words[0];
      k = 1;
    }
    for (; k < words.length; k++) {
      out.push({ text: words[k], line, first: k === 0, afterBlank: blank && k === 0 });
    }
    blank = false;
  }
  return out;
}
