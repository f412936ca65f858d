/**
 * `vpdn dial SERVER --user U --password P [--domain D] [--auth pap,chap,mschap,mschapv2]
 *   [--mppe none|optional|required] [--mppe-bits 40|128|40,128] [--stateful] [--tun NAME]
 *   [--route CIDR]... [--local ADDR]`
 * Brings a tunnel up, configures the TUN with the assigned address, prints one line, and stays up
 * until SIGINT/SIGTERM, then hangs up cleanly. Failures exit non-zero with the Windows error number.
 */
import { parseArgs } from 'node:util';
import type { AuthType } from '../aaa/authenticator.js';
import { DialError, DialSession } from '../client/dial-session.js';
import { GreMux } from '../client/gre-mux.js';
import { TunDevice } from '../io/tun.js';
import { addAddress, addRoute, linkUp } from '../io/netlink-cmd.js';

const AUTH_NAMES: Record<string, AuthType[]> = {
  pap: ['pap'],
  chap: ['chap-md5'],
  mschap: ['mschap-v1'],
  mschapv1: ['mschap-v1'],
  'ms-chap-v1': ['mschap-v1'],
  mschapv2: ['mschap-v2'],
  'ms-chap-v2': ['mschap-v2'],
};

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      user: { type: 'string', short: 'u' },
      password: { type: 'string', short: 'p' },
      domain: { type: 'string' },
      auth: { type: 'string', default: 'pap,chap,mschap,mschapv2' },
      mppe: { type: 'string', default: 'optional' },
      'mppe-bits': { type: 'string', default: '40,128' },
      stateful: { type: 'boolean', default: false },
      tun: { type: 'string' },
      route: { type: 'string', multiple: true },
      local: { type: 'string' },
      port: { type: 'string' },
      timeout: { type: 'string', default: '30' },
    },
  });
  const server = positionals[0];
  if (!server || !values.user || values.password === undefined) {
    console.error('usage: vpdn dial SERVER --user USER --password PASSWORD [--domain D] [--auth pap,chap,mschap,mschapv2] [--mppe none|optional|required] [--mppe-bits 40|128] [--tun NAME] [--route CIDR]');
    return 2;
  }
  const authTypes: AuthType[] = [];
  for (const a of values.auth!.split(',')) {
    const t = AUTH_NAMES[a.trim().toLowerCase()];
    if (!t) {
      console.error(`vpdn dial: unknown --auth ${a} (pap, chap, mschap, mschapv2)`);
      return 2;
    }
    authTypes.push(...t);
  }
  const mppe = values.mppe as 'none' | 'optional' | 'required';
  if (!['none', 'optional', 'required'].includes(mppe)) {
    console.error('vpdn dial: --mppe must be none, optional or required');
    return 2;
  }
  const bits = values['mppe-bits']!.split(',').map((b) => b.trim());
  const mux = new GreMux({ bindAddress: values.local });
  const session = new DialSession(mux, {
    server,
    port: values.port ? Number(values.port) : undefined,
    localAddress: values.local,
    username: values.user,
    password: values.password,
    domain: values.domain,
    authTypes,
    mppe,
    allow40: bits.includes('40'),
    allow128: bits.includes('128'),
    stateless: values.stateful ? 'refuse' : 'prefer',
    timeoutMs: Number(values.timeout) * 1000,
  });
  let info;
  try {
    info = await session.connect();
  } catch (e) {
    mux.close();
    if (e instanceof DialError) {
      console.error(`vpdn dial: Error ${e.windowsError}: ${e.reason}`);
      return e.windowsError === 691 ? 3 : e.windowsError === 732 ? 4 : e.windowsError === 742 ? 5 : 1;
    }
    throw e;
  }
  // The engine knows the peer's MRU and MPPE's 4 bytes (RFC 3078 §3).
  const mtu = info.mtu;
  const tun = TunDevice.open({ name: values.tun, mtu });
  tun.onBatch((b) => {
    for (let i = 0; i < b.count; i++) {
      const off = b.offsets[i]!;
      // Only IPv4 rides PPP protocol 0x0021 (RFC 1332); the kernel's IPv6 on the TUN stays home.
      if (b.buffer[off]! >> 4 !== 4) continue;
      session.sendIp(b.buffer.subarray(off, off + b.lengths[i]!));
    }
  });
  session.onIp = (p) => {
    try {
      tun.write(p);
    } catch {
      /* not an IP packet: dropped */
    }
  };
  await addAddress(tun.name, info.localAddress, info.peerAddress);
  await linkUp(tun.name, mtu);
  for (const r of values.route ?? []) await addRoute(r, tun.name);
  const enc = info.mppe ? `MPPE ${info.mppe.bits}-bit ${info.mppe.stateless ? 'stateless' : 'stateful'}` : 'no encryption';
  console.log(`connected: address ${info.localAddress} server ${info.peerAddress} auth ${info.authType ?? 'none'} ${enc} interface ${tun.name}`);

  let hangingUp = false;
  const code = await new Promise<number>((resolve) => {
    const stop = () => {
      hangingUp = true;
      session.hangup('user request').then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void session.closed.then((reason) => {
      if (hangingUp) return;
      // The server or the network ended it: say why and exit non-zero.
      console.error(`vpdn dial: disconnected: ${reason}`);
      resolve(1);
    });
  });
  tun.close();
  mux.close();
  return code;
}
