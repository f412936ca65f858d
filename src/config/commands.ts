/**
 * The command vocabulary: every top-level PIX 6.3 command vpdn recognises, with its argument
 * shape. Commands with an `act` id change the model (build.ts); the others are inert and are
 * listed as ignored. Shapes are what let the unfolder split folded text (see unfold.ts).
 */
import { compile, headOf, type GNode } from './grammar.js';

export type ActId =
  | 'hostname'
  | 'nameif'
  | 'ip-address'
  | 'ip-address-dynamic'
  | 'ip-local-pool'
  | 'vpdn-enable'
  | 'vpdn-username'
  | 'vpdn-max-sessions'
  | 'vpdn-interface'
  | 'vpdn-forwarding'
  | 'vpdn-lockout'
  | 'vpdn-idle-timeout'
  | 'group-accept-pptp'
  | 'group-auth-type'
  | 'group-mppe'
  | 'group-lcp-echo'
  | 'group-pool'
  | 'group-dns'
  | 'group-wins'
  | 'group-server-address'
  | 'group-auth-local'
  | 'group-auth-aaa'
  | 'group-strip-domain'
  | 'group-accounting'
  | 'group-pptp-echo'
  | 'group-pptp-window'
  | 'group-transmit-window'
  | 'aaa-protocol'
  | 'aaa-host'
  | 'aaa-dynauth'
  | 'aaa-max-failed'
  | 'aaa-deadtime'
  | 'aaa-radius-authport'
  | 'aaa-radius-acctport'
  | 'logging-on'
  | 'logging-timestamp'
  | 'logging-console'
  | 'logging-buffered'
  | 'logging-trap'
  | 'logging-facility'
  | 'logging-host'
  | 'sysopt-permit-pptp';

export interface CommandSpec {
  syntax: string;
  node: GNode;
  /** Lower-case first keyword. */
  head: string;
  headIsPrefix: boolean;
  /** Set for commands that change the model. */
  act?: ActId;
  /** Name in ignored-command listings. */
  name: string;
  /** How many keywords lead the grammar: once they all match, the command is recognised. */
  keywords: number;
  /** Keywords at fixed offsets from the head: a cheap test that rules most grammars out. */
  fixed: { offset: number; word: string }[];
  /** Only used when no other grammar of the same head matches (catch-all shapes). */
  fallback: boolean;
  /** An acting command that accepts the `no` form. */
  negatable: boolean;
}

interface Opts {
  name?: string;
  fallback?: boolean;
  negatable?: boolean;
}

function spec(syntax: string, act: ActId | undefined, opts: Opts = {}): CommandSpec {
  const node = compile(syntax);
  const head = headOf(node);
  return {
    syntax,
    node,
    head: head.word,
    headIsPrefix: head.prefix,
    keywords: leadingKeywords(node),
    fixed: fixedKeywords(node),
    act,
    name: opts.name ?? syntax.split(' ')[0].replace(/\*$/, ''),
    fallback: opts.fallback ?? false,
    negatable: opts.negatable ?? false,
  };
}

function leadingKeywords(node: GNode): number {
  if (node.t === 'lit') return 1;
  if (node.t !== 'seq') return 0;
  const k = node.items.findIndex((n) => n.t !== 'lit');
  return k < 0 ? node.items.length : k;
}

function fixedKeywords(node: GNode): { offset: number; word: string }[] {
  const items = node.t === 'seq' ? node.items : [node];
  const out: { offset: number; word: string }[] = [];
  for (let k = 1; k < items.length; k++) {
    const n = items[k];
    if (n.t === 'lit') out.push({ offset: k, word: n.word });
    else if (n.t !== 'choice' && !(n.t === 'slot' && n.kind !== 'text' && n.kind !== 'line')) break;
  }
  return out;
}

const act = (id: ActId, syntax: string, opts?: Opts): CommandSpec => spec(syntax, id, opts);
const inert = (syntax: string, opts?: Opts): CommandSpec => spec(syntax, undefined, opts);

// Address and port shapes shared by access-list and conduit.
const ADDR = '(any | host <host:ip> | object-group <addrgroup> | interface <addrif> | <addr:ip> <mask:ip>)';
const PORT = '[((eq | lt | gt | neq) <port:port> | range <from:port> <to:port> | object-group <portgroup>)]';
const RULE = `(permit | deny) (object-group <protogroup> | <protocol>) ${ADDR} ${PORT} ${ADDR} ${PORT} [<icmptype>]`;

export const COMMANDS: CommandSpec[] = [
  // --- commands vpdn acts on (SPEC §2) ---
  act('hostname', 'hostname <name>'),
  act('nameif', 'nameif <hardware> <interface> <security>'),
  act('ip-address', 'ip address <interface> <address:ip> <mask:ip>'),
  act('ip-address-dynamic', 'ip address <interface> (dhcp | pppoe) { setroute | retry <count:int> }'),
  act('ip-local-pool', 'ip local pool <pool> <range>'),
  act('group-accept-pptp', 'vpdn group <group> accept dialin pptp'),
  act('group-auth-type', 'vpdn group <group> ppp authentication <type:pap|chap|mschap|ms-chap-v1|ms-chap-v2>'),
  act('group-mppe', 'vpdn group <group> ppp encryption mppe <bits> [<required:required>] [<mode:stateful|stateless>]'),
  act('group-lcp-echo', 'vpdn group <group> ppp lcp echo <seconds:int> [<failures:int>]'),
  act('group-pool', 'vpdn group <group> client configuration address local <pool>'),
  act('group-dns', 'vpdn group <group> client configuration dns <server:ip> [<server:ip>]'),
  act('group-wins', 'vpdn group <group> client configuration wins <server:ip> [<server:ip>]'),
  act('group-server-address', 'vpdn group <group> client configuration server-address <address:ip>'),
  act('group-auth-local', 'vpdn group <group> client authentication local'),
  act('group-auth-aaa', 'vpdn group <group> client authentication aaa <tag> [domain <domain>]'),
  act('group-strip-domain', 'vpdn group <group> client authentication strip-domain'),
  act('group-accounting', 'vpdn group <group> client accounting <tag> [interim <seconds:int>]'),
  act('group-pptp-echo', 'vpdn group <group> pptp echo <seconds:int>'),
  act('group-pptp-window', 'vpdn group <group> pptp window <packets:int>'),
  act('group-transmit-window', 'vpdn group <group> pptp transmit-window enforce'),
  act('vpdn-username', 'vpdn username <user> password <password:secret> [<storelocal:store-local>]'),
  act('vpdn-enable', 'vpdn enable <interface>'),
  act('vpdn-max-sessions', 'vpdn max-sessions <sessions:int>'),
  act('vpdn-interface', 'vpdn interface <device>'),
  act('vpdn-forwarding', 'vpdn forwarding enable'),
  act('vpdn-lockout', 'vpdn lockout attempts <attempts:int> window <window:int> duration <duration:int>'),
  act('vpdn-idle-timeout', 'vpdn idle-timeout <seconds:int>'),
  act('aaa-protocol', "aaa-server <tag> protocol <protocol> { '|' <alternative> }"),
  act(
    'aaa-host',
    'aaa-server <tag> <interface:paren> host <address> [<key:secret>] { timeout <timeout:int> | retries <retries:int> | ' +
      'auth-port <authport:int> | acct-port <acctport:int> | port <port:int> | <nomessageauthenticator:no-message-authenticator> }',
  ),
  act('aaa-dynauth', 'aaa-server <tag> dynamic-authorization [port <port:int>]'),
  act('aaa-max-failed', 'aaa-server <tag> max-failed-attempts <count:int>'),
  act('aaa-deadtime', 'aaa-server <tag> deadtime <minutes:int>'),
  act('aaa-radius-authport', 'aaa-server radius-authport [<port:int>]'),
  act('aaa-radius-acctport', 'aaa-server radius-acctport [<port:int>]'),
  act('logging-on', 'logging on', { negatable: true }),
  act('logging-timestamp', 'logging timestamp', { negatable: true }),
  act('logging-console', 'logging console <level:level>', { negatable: true }),
  act('logging-buffered', 'logging buffered <level:level>', { negatable: true }),
  act('logging-trap', 'logging trap <level:level>', { negatable: true }),
  act('logging-facility', 'logging facility <facility:int>', { negatable: true }),
  act('logging-host', 'logging host [<interface>] <address:ip> [<transport:transport>] [format emblem] [interface <source>]'),
  act('sysopt-permit-pptp', 'sysopt connection permit-pptp', { negatable: true }),

  // --- known families vpdn keeps but does not act on ---
  inert('vpdn group <group> accept dialin l2tp', { name: 'vpdn group l2tp' }),
  inert('vpdn group <group> l2tp tunnel hello <seconds:int>', { name: 'vpdn group l2tp' }),
  inert('vpdn group <group> request dialout pppoe', { name: 'vpdn group pppoe' }),
  inert('vpdn group <group> localname <name>', { name: 'vpdn group pppoe' }),
  inert('logging standby', { name: 'logging standby' }),
  inert('logging monitor <level:level>', { name: 'logging monitor' }),
  inert('logging history <level:level>', { name: 'logging history' }),
  inert('logging queue <size:int>', { name: 'logging queue' }),
  inert('logging device-id <text:text>', { name: 'logging device-id' }),
  inert('logging message <id:int> [level <level:level>]', { name: 'logging message' }),
  inert('logging (class | rate-limit | list) <text:text>', { name: 'logging' }),
  inert('logging (permit-hostdown | debug-trace)', { name: 'logging' }),
  inert('sysopt <text:text>', { fallback: true }),
  inert('ip audit <text:text>', { name: 'ip audit' }),
  inert('ip verify reverse-path interface <interface>', { name: 'ip verify' }),
  inert('ip <text:text>', { fallback: true }),

  // --- other PIX 6.3 commands (inert) ---
  inert('PIX Version <version>', { name: 'PIX Version' }),
  inert(': <text:line>'),
  inert('Cryptochecksum:* [<checksum>]', { name: 'Cryptochecksum' }),
  inert('domain-name <name>'),
  inert('interface <hardware> [vlan <vlan:int>] [logical | physical] [<speed:speed>] [shutdown]'),
  inert('enable password <password:secret> [level <level:int>] [encrypted]', { name: 'enable password' }),
  inert('passwd <password:secret> [encrypted]'),
  inert('fixup protocol <protocol> { <arg:fixuparg> }'),
  inert('names'),
  inert('name <address:ip> <alias>'),
  inert(`access-list <id> [extended] ${RULE} [log [<level:int>] [interval <seconds:int>]] [time-range <range>] [inactive]`),
  inert('access-list <id> remark <text:text>'),
  inert('access-list <text:text>', { fallback: true }),
  inert('access-group <acl> in interface <interface>'),
  inert('pager [lines <lines:int>]'),
  inert('mtu <interface> <bytes:int>'),
  inert('pdm (location <address:ip> <mask:ip> <interface> | logging <level:level> [<messages:int>] | history enable)'),
  inert('pdm <text:text>', { fallback: true }),
  inert('arp (timeout <seconds:int> | <interface> <address:ip> <mac> [alias])'),
  inert('global <interface:paren> <id:int> (<range:iprange> [netmask <mask:ip>] | interface)'),
  inert(
    'nat <interface:paren> <id:int> (access-list <acl> | <address:ip> [<mask:ip>]) { outside | dns | norandomseq | tcp | udp | <limit:int> }',
  ),
  inert(
    'static <interfaces:paren> ((tcp | udp) (interface | <mapped:ip>) <mappedport:port> <real:ip> <realport:port> | ' +
      '(interface | <mapped:ip>) (<real:ip> | access-list <acl>)) [netmask <mask:ip>] { dns | norandomseq | <limit:int> }',
  ),
  inert(`conduit ${RULE}`),
  inert('route <interface> <network:ip> <mask:ip> <gateway:ip> [<metric:int>]'),
  inert('timeout <kind> <value:time> [absolute | inactivity] { <kind> <value:time> [absolute | inactivity] }'),
  inert('aaa <text:text>'),
  inert('http (server enable [<port:int>] | redirect <interface> [<port:int>] | <address:ip> <mask:ip> [<interface>])'),
  inert(
    'snmp-server (location <text:text> | contact <text:text> | community <community:secret> | enable [traps] | ' +
      'host [<interface>] <address:ip> [trap | poll])',
  ),
  inert('snmp-server <text:text>', { fallback: true }),
  inert('floodguard (enable | disable)'),
  inert('telnet (timeout <minutes:int> | <address:ip> [<mask:ip>] [<interface>])'),
  inert('ssh (timeout <minutes:int> | version <version:int> | <address:ip> [<mask:ip>] [<interface>])'),
  inert('console timeout <minutes:int>'),
  inert('terminal width <columns:int>'),
  inert('terminal <text:text>', { fallback: true }),
  inert('isakmp identity (address | hostname | auto | key-id <id>)'),
  inert('isakmp enable <interface>'),
  inert('isakmp key <key:secret> <text:text>'),
  inert('isakmp <text:text>', { fallback: true }),
  inert('crypto map <map> interface <interface>'),
  inert('crypto <text:text>', { fallback: true }),
  inert('dhcpd enable <interface>'),
  inert('dhcpd address <range:iprange> <interface>'),
  inert('dhcpd <text:text>', { fallback: true }),
  inert(
    'failover [active | timeout <time:time> | poll <seconds:int> | ip address <interface> <address:ip> | link <interface> | ' +
      'lan <text:text> | mac address <interface> <active> <standby> | replication http]',
  ),
  inert('username <user> password <password:secret> { encrypted | nt-encrypted | privilege <level:int> }'),
  inert('vpngroup <group> password <password:secret>'),
  inert('vpngroup <text:text>', { fallback: true }),
  inert('ntp authentication-key <id:int> md5 <key:secret>'),
  inert('ntp <text:text>', { fallback: true }),
  inert('management-access <interface>'),
  ...[
    'object-group',
    'network-object',
    'port-object',
    'icmp-object',
    'protocol-object',
    'service-object',
    'group-object',
    'description',
    'icmp',
    'clock',
    'tftp-server',
    'service',
    'url-server',
    'url-cache',
    'url-block',
    'filter',
    'established',
    'virtual',
    'auth-prompt',
    'privilege',
    'ca',
    'rip',
    'multicast',
    'igmp',
    'mroute',
    'pim',
    'shun',
    'fragment',
    'prefix-list',
    'banner',
    'routing',
    'router',
    'ssl',
    'vpnclient',
    'dns',
  ].map((head) => inert(`${head} <text:text>`)),
];

const byHead = new Map<string, CommandSpec[]>();
const prefixSpecs: CommandSpec[] = [];
for (const s of COMMANDS) {
  if (s.headIsPrefix) prefixSpecs.push(s);
  else byHead.set(s.head, [...(byHead.get(s.head) ?? []), s]);
}

/** The grammars that could start with this word (none: not a command word). */
export function specsFor(word: string): CommandSpec[] {
  const w = word.toLowerCase();
  return byHead.get(w) ?? prefixSpecs.filter((s) => w.startsWith(s.head));
}

export function isCommandWord(word: string): boolean {
  return specsFor(word).length > 0;
}
