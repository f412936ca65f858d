/**
 * An uncompressed cpio archive in the "newc" format (the initramfs format the kernel unpacks,
 * Documentation/driver-api/early-userspace/buffer-format.rst). Written here rather than with
 * the cpio tool so device nodes and root ownership need no privileges or staging directory.
 */

export type CpioEntry =
  | { path: string; kind: 'dir'; mode?: number }
  | { path: string; kind: 'file'; mode?: number; data: Uint8Array }
  | { path: string; kind: 'symlink'; target: string }
  | { path: string; kind: 'chardev'; mode?: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function record(ino: number, mode: number, name: string, data: Uint8Array, rdev: [number, number]): Buffer[] {
  const nameBytes = Buffer.from(name + '\0', 'utf8');
  const header = Buffer.from(
    '070701' +
      [ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0].map(hex8).join(''),
    'ascii',
  );
  // 110-byte header + name is padded to 4; so is the data.
  return [
    header,
    nameBytes,
    Buffer.alloc(pad4(header.length + nameBytes.length)),
    Buffer.from(data),
    Buffer.alloc(pad4(data.length)),
  ];
}

/** Entries must list every directory before what it contains; paths have no leading slash. */
export function encodeCpio(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const none = new Uint8Array(0);
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '');
    switch (e.kind) {
      case 'dir':
        parts.push(...record(ino++, S_IFDIR | (e.mode ?? 0o755), path, none, [0, 0]));
        break;
      case 'file':
        parts.push(...record(ino++, S_IFREG | (e.mode ?? 0o644), path, e.data, [0, 0]));
        break;
      case 'symlink':
        parts.push(...record(ino++, S_IFLNK | 0o777, path, Buffer.from(e.target, 'utf8'), [0, 0]));
        break;
      case 'chardev':
        parts.push(...record(ino++, S_IFCHR | (e.mode ?? 0o600), path, none, [e.major, e.minor]));
        break;
    }
  }
  parts.push(...record(0, 0, 'TRAILER!!!', none, [0, 0]));
  return Buffer.concat(parts);
}
