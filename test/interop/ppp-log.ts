/**
 * What a pppd `debug` log (pppd 2.4.9) says was negotiated: interface, authentication protocol
 * (from the LCP Configure-Ack carrying the Authentication-Protocol option, RFC 1661 §6.2),
 * MPPE strength and mode (RFC 3078), IPCP addresses (RFC 1332) and DNS (RFC 1877).
 */

export type PppAuth = 'pap' | 'chap' | 'mschap' | 'mschap-v2' | 'eap';

export interface PppNegotiation {
  /** e.g. ppp0 */
  interface?: string;
  auth?: PppAuth;
  /** "PAP/CHAP authentication succeeded" was logged. */
  authSucceeded: boolean;
  mppe?: { bits: 40 | 56 | 128; stateful: boolean };
  localAddress?: string;
  remoteAddress?: string;
  dns: string[];
  /** Lines that tell why a link failed or ended. */
  errors: string[];
}

// pppd's lcp_printpkt names: "auth pap", "auth chap MD5", "auth chap MS", "auth chap MS-v2", "auth eap".
const AUTH_NAMES: Record<string, PppAuth> = {
  pap: 'pap',
  'chap MD5': 'chap',
  'chap MS': 'mschap',
  'chap MS-v2': 'mschap-v2',
  eap: 'eap',
};

const ERROR_PATTERN =
  /fail|refus|timeout|terminated|hangup|required|disabling|error|not supported|no auth|rejected|exit|signal/i;

export function parsePppdLog(text: string): PppNegotiation {
  const out: PppNegotiation = { authSucceeded: false, dns: [], errors: [] };
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^Using interface (\S+)/.exec(line))) out.interface = m[1];
    else if ((m = /^(?:sent|rcvd) \[LCP ConfAck .*<auth ([^>]+)>/.exec(line))) out.auth = AUTH_NAMES[m[1]] ?? out.auth;
    else if (/^(PAP|CHAP|EAP) authentication succeeded/.test(line)) out.authSucceeded = true;
    else if ((m = /^MPPE (\d+)-bit (stateless|stateful) compression enabled/.exec(line))) {
      out.mppe = { bits: Number(m[1]) as 40 | 56 | 128, stateful: m[2] === 'stateful' };
    } else if ((m = /^local {2}IP address (\S+)/.exec(line))) out.localAddress = m[1];
    else if ((m = /^remote IP address (\S+)/.exec(line))) out.remoteAddress = m[1];
    else if ((m = /^(?:primary|secondary) +DNS address (\S+)/.exec(line))) out.dns.push(m[1]);
    else if (!/^(sent|rcvd) \[/.test(line) && !/^Script /.test(line) && ERROR_PATTERN.test(line)) {
      out.errors.push(line.trim());
    }
  }
  return out;
}
