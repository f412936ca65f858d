/** `vpdn group G ...` commands: one group's PPP, address and AAA settings (SPEC §2). */
import type { AuthType } from '../aaa/authenticator.js';
import type { ActId } from './commands.js';
import { DEFAULTS, emptyGroup } from './defaults.js';
import { LOCAL_TAG } from './draft.js';
import type { Line } from './line.js';
import type { VpdnGroupConfig } from './model.js';

const AUTH_ORDER: AuthType[] = ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap'];
const AUTH_KEYWORDS: Record<string, AuthType[]> = {
  pap: ['pap'],
  chap: ['chap-md5'],
  mschap: ['mschap-v2', 'mschap-v1'],
  'ms-chap-v1': ['mschap-v1'],
  'ms-chap-v2': ['mschap-v2'],
};

function group(x: Line): VpdnGroupConfig {
  const name = x.one('group');
  let g = x.config.groups.find((y) => y.name === name);
  if (g === undefined) {
    g = emptyGroup(name);
    x.config.groups.push(g);
    x.src.groups.set(name, x.line);
    x.src.groupLines.set(name, {});
  }
  return g;
}

function remember(x: Line, key: 'pool' | 'auth' | 'accounting' | 'mppe' | 'serverAddress'): void {
  x.src.groupLines.get(x.one('group'))![key] = x.line;
}

export function groupCommand(x: Line, id: ActId): void {
  const g = group(x);
  switch (id) {
    case 'group-accept-pptp':
      g.acceptDialinPptp = true;
      return;
    case 'group-auth-type': {
      const add = AUTH_KEYWORDS[x.one('type')];
      g.authTypes = AUTH_ORDER.filter((t) => g.authTypes.includes(t) || add.includes(t));
      return;
    }
    case 'group-mppe': {
      const bits = x.one('bits').toLowerCase();
      if (bits !== '40' && bits !== '128' && bits !== 'auto') {
        return x.error(`${x.shown}: MPPE key length '${x.one('bits')}' is not supported; use 40, 128 or auto (RFC 3078)`);
      }
      const mode = x.has('mode') ? (x.one('mode').toLowerCase() as 'stateful' | 'stateless') : 'client';
      g.encryption = { bits: bits === 'auto' ? 'auto' : bits === '40' ? 40 : 128, required: x.has('required'), mode };
      remember(x, 'mppe');
      return;
    }
    case 'group-lcp-echo': {
      const interval = x.int('seconds', 'the LCP echo interval', 0, 3600);
      const failures = x.has('failures') ? x.int('failures', 'the failure count', 1, 255) : DEFAULTS.lcpEchoFailures;
      if (interval !== undefined && failures !== undefined) g.lcpEcho = { intervalSeconds: interval, failures };
      return;
    }
    case 'group-pool':
      g.pool = x.one('pool');
      remember(x, 'pool');
      return;
    case 'group-dns':
    case 'group-wins': {
      const list = (x.caps.server ?? []).map((s) => x.address(s, id === 'group-dns' ? 'DNS server' : 'WINS server'));
      if (list.every((a) => a !== undefined)) g[id === 'group-dns' ? 'dns' : 'wins'] = list as string[];
      return;
    }
    case 'group-server-address': {
      const a = x.address(x.one('address'), 'the server address');
      if (a !== undefined) {
        g.serverAddress = a;
        remember(x, 'serverAddress');
      }
      return;
    }
    case 'group-auth-local':
      g.authentication = { kind: 'local' };
      return;
    case 'group-auth-aaa': {
      const tag = x.one('tag');
      const authentication = tag === LOCAL_TAG ? { kind: 'local' as const } : { kind: 'aaa' as const, tag };
      if (!x.has('domain')) {
        g.authentication = authentication;
        remember(x, 'auth');
        return;
      }
      const domain = x.one('domain');
      const i = g.domainAuthentication.findIndex((x) => x.domain.toLowerCase() === domain.toLowerCase());
      if (i >= 0) g.domainAuthentication[i] = { domain, authentication };
      else g.domainAuthentication.push({ domain, authentication });
      const lines = x.src.domainLines.get(g.name) ?? new Map<string, number>();
      lines.set(domain.toLowerCase(), x.line);
      x.src.domainLines.set(g.name, lines);
      return;
    }
    case 'group-strip-domain':
      g.stripDomain = true;
      return;
    case 'group-accounting': {
      const tag = x.one('tag');
      if (tag === LOCAL_TAG) return x.error(`${x.shown}: accounting needs a RADIUS or TACACS+ server tag, not LOCAL`);
      // RFC 2869 §5.16: Acct-Interim-Interval MUST NOT be smaller than 60.
      const interim = x.has('seconds') ? x.int('seconds', 'the interim interval', 60, 86400) : null;
      if (interim === undefined) return;
      g.accountingTag = tag;
      g.accountingInterimSeconds = interim;
      remember(x, 'accounting');
      return;
    }
    case 'group-pptp-echo': {
      const n = x.int('seconds', 'the echo interval', 0, 3600);
      if (n !== undefined) g.pptpEcho = n;
      return;
    }
    case 'group-pptp-window': {
      const n = x.int('packets', 'the receive window', 1, 65535);
      if (n !== undefined) g.pptpWindow = n;
      return;
    }
    case 'group-transmit-window':
      g.pptpTransmitWindowEnforce = true;
      return;
    default:
      throw new Error(`no handler for ${id}`);
  }
}
