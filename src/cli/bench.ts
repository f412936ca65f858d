/** `vpdn bench [--quick] [--json] [--only LIST] [--profile DIR] [--markdown FILE]`: see bench/index.ts. */
export async function run(args: string[]): Promise<number> {
  const bench = await import('../../bench/index.js');
  return bench.main(args);
}
