/**
 * The uncompressed ELF kernel inside Debian's bzImage (vmlinuz). qemu boots it through its PVH
 * entry point, several times faster under TCG than letting the bzImage decompress itself.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isElf } from './elf-needed.js';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

/** Writes the vmlinux found in vmlinuz to out; throws if no xz stream in it holds an ELF. */
export function extractVmlinux(vmlinuz: string, out: string): void {
  const image = readFileSync(vmlinuz);
  const tried: string[] = [];
  const stream = `${out}.xz`;
  for (let at = image.indexOf(XZ_MAGIC); at >= 0; at = image.indexOf(XZ_MAGIC, at + 1)) {
    // xz reads from a file, not a pipe: --single-stream stops at the end of the stream, and the
    // bzImage bytes after it, still being written into a pipe, then failed with EPIPE by chance.
    writeFileSync(stream, image.subarray(at));
    const input = openSync(stream, 'r');
    const fd = openSync(out, 'w');
    try {
      execFileSync('xz', ['-dc', '--single-stream'], { stdio: [input, fd, 'pipe'] });
    } catch (e) {
      tried.push(`offset ${at}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    } finally {
      closeSync(fd);
      closeSync(input);
      rmSync(stream, { force: true });
    }
    const head = Buffer.alloc(4);
    const rfd = openSync(out, 'r');
    readSync(rfd, head, 0, 4, 0);
    closeSync(rfd);
    if (isElf(head) && statSync(out).size > 1 << 20) return;
    tried.push(`offset ${at}: not an ELF image`);
  }
  throw new Error(`no xz-compressed vmlinux found in ${vmlinuz} (${tried.join('; ') || 'no xz magic'})`);
}
