/** parseConfig: PIX-style text → checked model, errors (with lines) and ignored commands. SPEC §2. */
import { readFile } from 'node:fs/promises';
import { addSegment } from './build.js';
import { newDraft } from './draft.js';
import { checkDraft } from './check.js';
import type { ParseResult } from './model.js';
import { segmentConfig } from './unfold.js';

export function parseConfig(text: string, fileName?: string): ParseResult {
  const d = newDraft();
  for (const seg of segmentConfig(text)) addSegment(d, seg);
  checkDraft(d);
  const errors = d.errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.i - b.i)
    .map(({ e }) => (fileName === undefined ? e : { file: fileName, ...e }));
  const ignored = [...d.ignored].sort((a, b) => a.line - b.line);
  return { config: d.config, errors, ignored };
}

/** Read and parse a configuration file (UTF-8). Throws only if the file cannot be read. */
export async function loadConfigFile(path: string): Promise<ParseResult> {
  return parseConfig(await readFile(path, 'utf8'), path);
}
