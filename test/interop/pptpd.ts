/**
 * pptpd (PoPToP 1.4.0) in a guest: the reference PPTP server, for our own client (`vpdn dial`)
 * and for proving the harness with pptp-linux clients.
 */
import type { Guest } from './harness.js';

export interface PptpdOptions {
  /** The server's PPP address (pptpd.conf localip). */
  localIp: string;
  /** Client addresses, pptpd.conf syntax, e.g. '192.168.90.10-99'. */
  remoteIp: string;
  users: { name: string; password: string }[];
  /** pppd options for each call; default requires MS-CHAP v2 and MPPE-128. */
  pppOptions?: string[];
  /** The server's PPP name (pppd `name`), default 'pptpd'. */
  name?: string;
}

export interface PptpdServer {
  /** Background job id (Guest.stop ends it). */
  id: string;
  /** Where every call's pppd writes its debug log. */
  pppLog: string;
}

/** Quotes a word for pppd's secrets files. */
function secretWord(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

/** Writes the configuration and chap-secrets, starts pptpd and waits for it to listen on 1723. */
export async function startPptpd(guest: Guest, o: PptpdOptions): Promise<PptpdServer> {
  const pppLog = '/var/log/pptpd-ppp.log';
  const ppp = [
    `name ${o.name ?? 'pptpd'}`,
    'auth',
    ...(o.pppOptions ?? ['require-mschap-v2', 'require-mppe-128']),
    'nobsdcomp',
    'nodeflate',
    'nodefaultroute',
    'debug',
    `logfile ${pppLog}`,
  ];
  const secrets = o.users.map((u) => `${secretWord(u.name)} * ${secretWord(u.password)} *`).join('\n') + '\n';
  await guest.writeFiles([
    { path: '/etc/ppp/vpdn-pptpd-options', content: ppp.join('\n') + '\n' },
    { path: '/etc/pptpd.conf', content: `option /etc/ppp/vpdn-pptpd-options\nlocalip ${o.localIp}\nremoteip ${o.remoteIp}\n` },
    { path: '/etc/ppp/chap-secrets', content: secrets, mode: 0o600 },
    { path: '/etc/ppp/pap-secrets', content: secrets, mode: 0o600 },
  ]);
  await guest.check(`rm -f ${pppLog}`);
  const { id } = await guest.start('exec pptpd --fg --conf /etc/pptpd.conf');
  await guest.waitListening(1723);
  return { id, pppLog };
}
