/**
 * Runs Wireshark's tshark on a capture file and returns what it dissected, so tests can compare
 * field values with our codecs and look for "Malformed" and expert errors. Reading a pcap needs no
 * privileges; a missing tshark is reported with how to install it.
 */
import { execFileSync } from 'node:child_process';

export interface DissectedPacket {
  /** 1-based frame number. */
  number: number;
  /** Protocol stack, e.g. ['raw', 'ip', 'gre', 'ppp', 'lcp']. */
  protocols: string[];
  /** tshark's JSON layers, duplicate keys merged into arrays. */
  layers: Record<string, unknown>;
}

/** Expert info severities as tshark prints them. */
export const EXPERT_SEVERITY = { chat: 0x200000, note: 0x400000, warning: 0x600000, error: 0x800000 } as const;

let checked = false;

/** Throws an explanatory error when tshark cannot be run. */
export function requireTshark(): void {
  if (checked) return;
  try {
    execFileSync('tshark', ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`tshark is not available (${(e as Error).message}); install it with: apt-get install tshark`);
  }
  checked = true;
}

/** Dissects every packet of `pcapPath`; `extraArgs` e.g. ['-d', 'udp.port==1812,radius']. */
export function dissect(pcapPath: string, extraArgs: string[] = []): DissectedPacket[] {
  requireTshark();
  const json = execFileSync('tshark', ['-r', pcapPath, '-T', 'json', '--no-duplicate-keys', ...extraArgs], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const raw = JSON.parse(json) as { _source: { layers: Record<string, unknown> } }[];
  return raw.map((p, i) => {
    const layers = p._source.layers;
    const frame = layers.frame as Record<string, unknown> | undefined;
    const protocols = String(frame?.['frame.protocols'] ?? '').split(':');
    return { number: i + 1, protocols, layers };
  });
}

/** Every value of field `name` anywhere in the packet's tree, as tshark printed it. */
export function fieldValues(packet: DissectedPacket, name: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === name) {
          for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') found.push(x);
        }
        walk(v);
      }
    }
  };
  walk(packet.layers);
  return found;
}

/** The first value of field `name`, or undefined. */
export function fieldValue(packet: DissectedPacket, name: string): string | undefined {
  return fieldValues(packet, name)[0];
}

/** A numeric field (tshark prints decimal, or 0x-hex for some). */
export function numberField(packet: DissectedPacket, name: string): number | undefined {
  const v = fieldValue(packet, name);
  return v === undefined ? undefined : Number(v);
}

/**
 * Malformed-packet markers and expert items of at least `minSeverity`, as "severity: message"
 * strings; empty when tshark found nothing wrong.
 */
export function expertProblems(packet: DissectedPacket, minSeverity: number = EXPERT_SEVERITY.warning): string[] {
  const problems: string[] = [];
  if ('_ws.malformed' in packet.layers) problems.push('Malformed packet');
  if (packet.protocols.includes('_ws.malformed')) problems.push('Malformed packet (protocols)');
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const severity = o['_ws.expert.severity'];
      if (typeof severity === 'string' && Number(severity) >= minSeverity) {
        problems.push(`${severity}: ${String(o['_ws.expert.message'] ?? '')}`);
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(packet.layers);
  return problems;
}
