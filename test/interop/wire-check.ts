/**
 * One PPTP session as tshark dissected it from a capture on the server side: its control
 * messages (RFC 2637 §2), enhanced GRE (§4.1), and the PPP control packets inside (LCP RFC 1661,
 * PAP RFC 1334, CHAP RFC 1994/2433/2759, IPCP RFC 1332, CCP/MPPE RFC 1962/3078), in order.
 */
import { expertProblems, fieldValue, fieldValues, type DissectedPacket } from '../helpers/tshark.js';

/** RFC 2637 §2 control message lengths by type. */
export const PPTP_LENGTHS: Record<number, number> = { 1: 156, 2: 156, 3: 16, 4: 16, 5: 16, 6: 20, 7: 168, 8: 32, 9: 220, 10: 24, 11: 28, 12: 16, 13: 148, 14: 40, 15: 24 };

export interface PppControl {
  /** The sender is the client (true) or the server. */
  fromClient: boolean;
  /** 'lcp', 'pap', 'chap', 'ipcp', 'ccp' */
  protocol: string;
  code: number;
  /** The protocol's layer as tshark printed it. */
  fields: DissectedPacket;
}

export interface PptpSession {
  packets: DissectedPacket[];
  /** Control message types in order, each with its sender. */
  control: { fromClient: boolean; type: number; packet: DissectedPacket }[];
  gre: { fromClient: boolean; packet: DissectedPacket }[];
  ppp: PppControl[];
  /** PPP protocol numbers of every GRE payload, e.g. 0x0021 plain IP, 0x00fd MPPE. */
  dataProtocols: Set<number>;
  /** tshark's malformed markers and expert warnings or errors, with frame numbers. */
  problems: string[];
}

function sub(p: DissectedPacket, layer: string): DissectedPacket | undefined {
  const l = p.layers[layer];
  return l === undefined ? undefined : { ...p, layers: { [layer]: l } };
}

/** Splits a capture into what was sent to and from one client address. */
export function pptpSession(all: DissectedPacket[], client: string): PptpSession {
  const packets = all.filter((p) => fieldValue(p, 'ip.src') === client || fieldValue(p, 'ip.dst') === client);
  const s: PptpSession = { packets, control: [], gre: [], ppp: [], dataProtocols: new Set(), problems: [] };
  for (const p of packets) {
    const fromClient = fieldValue(p, 'ip.src') === client;
    // TCP's own analysis (D-SACK, retransmissions, RST) judges the two kernels' TCP stacks under an
    // emulated, loaded guest, not the PPTP/GRE/PPP we put on the wire: every other layer is checked.
    const { tcp: _tcp, ...aboveTcp } = p.layers;
    for (const problem of expertProblems({ ...p, layers: aboveTcp })) s.problems.push(`frame ${p.number}: ${problem}`);
    const pptp = sub(p, 'pptp');
    if (pptp) {
      // A TCP segment can carry several messages; tshark then lists each field once per message.
      for (const t of fieldValues(pptp, 'pptp.control_message_type')) s.control.push({ fromClient, type: Number(t), packet: pptp });
    }
    if (!sub(p, 'gre')) continue;
    s.gre.push({ fromClient, packet: p });
    const proto = fieldValue(p, 'ppp.protocol');
    if (proto !== undefined) s.dataProtocols.add(Number(proto));
    for (const name of ['lcp', 'pap', 'chap', 'ipcp', 'ccp']) {
      const fields = sub(p, name);
      if (!fields) continue;
      const code = fieldValue(fields, name === 'pap' || name === 'chap' ? `${name}.code` : 'ppp.code');
      s.ppp.push({ fromClient, protocol: name, code: Number(code), fields });
    }
  }
  return s;
}

/** The PPP control packets of one protocol and code from one side. */
export function pppPackets(s: PptpSession, protocol: string, code: number, fromClient: boolean): DissectedPacket[] {
  return s.ppp.filter((x) => x.protocol === protocol && x.code === code && x.fromClient === fromClient).map((x) => x.fields);
}
