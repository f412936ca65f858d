/**
 * The dynamic-linking facts of an ELF64 little-endian file (x86-64): its interpreter, the
 * libraries it names (DT_NEEDED) and its own DT_SONAME. Read from the program headers only, so
 * stripped binaries work. Used to find which shared libraries the guest image must carry.
 */
import { DecodeError, type Decoded } from '../../src/wire/errors.js';

export interface ElfLinkage {
  /** PT_INTERP path, e.g. /lib64/ld-linux-x86-64.so.2; absent for static files. */
  interp?: string;
  needed: string[];
  soname?: string;
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_SONAME = 14n;

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

function cString(b: Buffer, at: number): string {
  const end = b.indexOf(0, at);
  return b.toString('latin1', at, end < 0 ? b.length : end);
}

export function elfLinkage(bytes: Uint8Array): Decoded<ElfLinkage> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isElf(b)) return new DecodeError('ELF', 'magic', 'not an ELF file');
  if (b.length < 64 || b[4] !== 2 || b[5] !== 1) return new DecodeError('ELF', 'class', 'not ELF64 little-endian');
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  if (phentsize < 56 || phoff + phentsize * phnum > b.length) {
    return new DecodeError('ELF', 'programHeaders', 'program header table outside the file');
  }
  const loads: { vaddr: bigint; offset: bigint; filesz: bigint }[] = [];
  let dynamic: { offset: number; size: number } | undefined;
  const out: ElfLinkage = { needed: [] };
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const type = b.readUInt32LE(p);
    const offset = b.readBigUInt64LE(p + 8);
    const vaddr = b.readBigUInt64LE(p + 16);
    const filesz = b.readBigUInt64LE(p + 32);
    if (type === PT_LOAD) loads.push({ vaddr, offset, filesz });
    if (type === PT_DYNAMIC) dynamic = { offset: Number(offset), size: Number(filesz) };
    if (type === PT_INTERP) out.interp = cString(b, Number(offset));
  }
  if (!dynamic) return out;
  if (dynamic.offset + dynamic.size > b.length) return new DecodeError('ELF', 'PT_DYNAMIC', 'outside the file');
  let strtab: bigint | undefined;
  const neededOffsets: bigint[] = [];
  let sonameOffset: bigint | undefined;
  for (let p = dynamic.offset; p + 16 <= dynamic.offset + dynamic.size; p += 16) {
    const tag = b.readBigInt64LE(p);
    const val = b.readBigUInt64LE(p + 8);
    if (tag === DT_NULL) break;
    if (tag === DT_NEEDED) neededOffsets.push(val);
    if (tag === DT_STRTAB) strtab = val;
    if (tag === DT_SONAME) sonameOffset = val;
  }
  if (strtab === undefined) return new DecodeError('ELF', 'DT_STRTAB', 'dynamic section without a string table');
  // DT_STRTAB is a virtual address: map it through the PT_LOAD segment that holds it.
  const seg = loads.find((l) => strtab! >= l.vaddr && strtab! < l.vaddr + l.filesz);
  if (!seg) return new DecodeError('ELF', 'DT_STRTAB', 'string table not in a loaded segment');
  const strOff = Number(strtab - seg.vaddr + seg.offset);
  out.needed = neededOffsets.map((o) => cString(b, strOff + Number(o)));
  if (sonameOffset !== undefined) out.soname = cString(b, strOff + Number(sonameOffset));
  return out;
}
