/**
 * Turns the segments of a configuration into the model, one command at a time, checking each
 * command's own values. Cross-references (tags, pools, interfaces) are checked afterwards in
 * check.ts with the line numbers recorded in the draft.
 */
import { isMask, parseAddress, parseRange } from './addresses.js';
import { aaaCommand } from './build-aaa.js';
import { groupCommand } from './build-group.js';
import type { ActId, CommandSpec } from './commands.js';
import { DEFAULTS } from './defaults.js';
import type { Draft } from './draft.js';
import { SHAPES } from './grammar.js';
import { parseLevel } from './levels.js';
import { Line } from './line.js';
import { maskedText, type Segment } from './unfold.js';

/** Readable syntax of a grammar, for messages: `<type:pap|chap>` → `pap|chap`, `<n:int>` → `<n>`. */
export function usage(spec: CommandSpec): string {
  return spec.syntax.replace(/<(\w+):([^>]+)>/g, (_m, name: string, kind: string) =>
    kind in SHAPES || ['secret', 'text', 'line'].includes(kind) ? `<${name}>` : kind,
  );
}

/** Feed one segment into the draft. */
export function addSegment(d: Draft, seg: Segment): void {
  const text = maskedText(seg);
  switch (seg.kind) {
    case 'comment':
      return;
    case 'unknown':
      d.ignored.push({ line: seg.line, command: seg.tokens[0].text, text });
      return;
    case 'malformed':
      if (!seg.acting) d.ignored.push({ line: seg.line, command: ignoredName(seg), text });
      else d.errors.push({ line: seg.line, message: malformedMessage(seg) });
      return;
    case 'command':
      break;
  }
  const spec = seg.spec!;
  if (spec.act === undefined) {
    d.ignored.push({ line: seg.line, command: ignoredName(seg), text });
    return;
  }
  const shown = maskedText(seg, seg.matched);
  if (seg.trailing.length > 0) {
    const extra = seg.secrets.length > 0 ? 'unexpected words after the command' : `unexpected '${seg.trailing.map((t) => t.text).join(' ')}'`;
    d.errors.push({ line: seg.line, message: `${shown}: ${extra} (syntax: ${usage(spec)})` });
    return;
  }
  if (seg.negated && !spec.negatable) {
    d.errors.push({ line: seg.line, message: `${shown}: the 'no' form is not supported in a configuration file; delete the command instead` });
    return;
  }
  apply(new Line(d, seg.line, seg.caps, seg.negated, shown), spec.act);
}

function ignoredName(seg: Segment): string {
  return (seg.negated ? 'no ' : '') + seg.spec!.name;
}

function malformedMessage(seg: Segment): string {
  const shown = maskedText(seg, seg.matched);
  const next = seg.tokens[seg.matched];
  const hasSecret = /<\w+:secret>/.test(seg.spec!.syntax);
  const got = next === undefined ? 'incomplete command' : hasSecret ? 'unexpected word' : `unexpected '${next.text}'`;
  const expected = seg.expected.map((e) => e.replace(/^'(.*)'$/, '$1'));
  const list = expected.length > 6 ? `one of ${expected.join(', ')}` : expected.join(' or ');
  const syntax = seg.reached.length === 1 ? ` (syntax: ${usage(seg.spec!)})` : '';
  return `${shown}: ${got}, expected ${list}${syntax}`;
}

function apply(x: Line, id: ActId): void {
  const c = x.config;
  switch (id) {
    case 'hostname':
      c.hostname = x.one('name');
      return;
    case 'nameif':
      return nameif(x);
    case 'ip-address':
      return ipAddress(x);
    case 'ip-address-dynamic':
      return x.error(`${x.shown}: a dynamic interface address is not supported; give an address and mask (ip address IF A.B.C.D MASK)`);
    case 'ip-local-pool':
      return pool(x);
    case 'vpdn-username':
      return user(x);
    case 'vpdn-enable': {
      const name = x.one('interface');
      if (!c.vpdnEnable.includes(name)) {
        c.vpdnEnable.push(name);
        x.src.vpdnEnable.set(name, x.line);
      }
      return;
    }
    case 'vpdn-max-sessions': {
      const n = x.int('sessions', 'the session limit', 1, 65535);
      if (n !== undefined) c.maxSessions = n;
      return;
    }
    case 'vpdn-interface': {
      const name = x.one('device');
      if (/^[A-Za-z0-9_.-]{1,15}$/.test(name)) c.tunInterface = name;
      else x.error(`${x.shown}: '${name}' is not a valid Linux interface name (1-15 letters, digits, '_', '.', '-')`);
      return;
    }
    case 'vpdn-forwarding':
      c.forwarding = true;
      return;
    case 'vpdn-lockout': {
      const attempts = x.int('attempts', 'attempts', 1, 1000);
      const windowSeconds = x.int('window', 'the window', 1, 86400);
      const durationSeconds = x.int('duration', 'the duration', 1, 86400);
      if (attempts !== undefined && windowSeconds !== undefined && durationSeconds !== undefined) {
        c.lockout = { attempts, windowSeconds, durationSeconds };
      }
      return;
    }
    case 'vpdn-idle-timeout': {
      const n = x.int('seconds', 'the idle timeout', 1, 3600);
      if (n !== undefined) c.idleTimeoutSeconds = n;
      return;
    }
    case 'aaa-protocol':
    case 'aaa-host':
    case 'aaa-dynauth':
    case 'aaa-max-failed':
    case 'aaa-deadtime':
    case 'aaa-radius-authport':
    case 'aaa-radius-acctport':
      return aaaCommand(x, id);
    case 'logging-on':
      c.logging.on = !x.negated;
      return;
    case 'logging-timestamp':
      c.logging.timestamp = !x.negated;
      return;
    case 'logging-console':
    case 'logging-buffered':
    case 'logging-trap': {
      const key = id === 'logging-console' ? 'console' : id === 'logging-buffered' ? 'buffered' : 'trap';
      c.logging[key] = x.negated ? null : (parseLevel(x.one('level')) ?? null);
      return;
    }
    case 'logging-facility': {
      if (x.negated) c.logging.facility = DEFAULTS.loggingFacility;
      else {
        const n = x.int('facility', 'the facility', 16, 23);
        if (n !== undefined) c.logging.facility = n;
      }
      return;
    }
    case 'logging-host':
      return loggingHost(x);
    case 'sysopt-permit-pptp':
      c.sysoptPermitPptp = !x.negated;
      return;
    default:
      return groupCommand(x, id);
  }
}

function nameif(x: Line): void {
  const hardwareId = x.one('hardware');
  const name = x.one('interface');
  const m = /^security(\d{1,3})$/i.exec(x.one('security'));
  if (m === null || Number(m[1]) > 100) {
    return x.error(`${x.shown}: security level must be security0..security100, not '${x.one('security')}'`);
  }
  const ifs = x.config.interfaces;
  const sameName = ifs.find((i) => i.name === name);
  if (sameName !== undefined) {
    return x.error(`${x.shown}: interface name '${name}' is already used by ${sameName.hardwareId} (line ${x.src.interfaces.get(name)})`);
  }
  const sameHw = ifs.find((i) => i.hardwareId === hardwareId);
  if (sameHw !== undefined) return x.error(`${x.shown}: ${hardwareId} is already named '${sameHw.name}'`);
  ifs.push({ hardwareId, name, securityLevel: Number(m[1]), address: null, mask: null });
  x.src.interfaces.set(name, x.line);
}

function ipAddress(x: Line): void {
  const name = x.one('interface');
  const iface = x.config.interfaces.find((i) => i.name === name);
  if (iface === undefined) return x.error(`${x.shown}: unknown interface '${name}' (no nameif line names it)`);
  const address = x.address(x.one('address'), `interface ${name}`);
  const mask = x.one('mask');
  if (!isMask(mask)) return x.error(`${x.shown}: bad mask '${mask}' (ones then zeros, e.g. 255.255.255.0)`);
  if (address === undefined) return;
  iface.address = address;
  iface.mask = parseAddress(mask)!;
}

function pool(x: Line): void {
  const name = x.one('pool');
  const r = parseRange(x.one('range'));
  if ('error' in r) return x.error(`${x.shown}: bad pool range: ${r.error}`);
  if (x.src.pools.has(name)) return x.error(`${x.shown}: pool '${name}' is already defined at line ${x.src.pools.get(name)}`);
  x.config.pools.push({ name, ...r });
  x.src.pools.set(name, x.line);
}

function user(x: Line): void {
  const name = x.one('user');
  const first = x.src.users.get(name);
  if (first !== undefined) return x.error(`duplicate vpdn username '${name}' (first defined at line ${first})`);
  x.config.users.push({ name, password: x.one('password') });
  x.src.users.set(name, x.line);
}

function loggingHost(x: Line): void {
  const iface = x.has('interface') ? x.one('interface') : DEFAULTS.loggingHostInterface;
  const address = x.address(x.one('address'), 'logging host');
  let port: number = DEFAULTS.syslogPort;
  if (x.has('transport')) {
    const [proto, p] = x.one('transport').toLowerCase().split('/');
    if (proto === 'tcp' || proto === '6') return x.error(`${x.shown}: syslog over TCP is not supported; use udp/PORT`);
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return x.error(`${x.shown}: bad port '${p}'`);
    port = n;
  }
  if (address === undefined) return;
  x.config.logging.hosts.push({ interface: iface, address, port });
  x.src.loggingHosts.push({ line: x.line, interface: iface });
}
