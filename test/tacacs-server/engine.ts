/**
 * The test server's protocol logic for one TCP connection, sans-IO: a request packet in,
 * at most one reply out (RFC 8907 §4–§7). The network side (server.ts) frames, delays,
 * injects failures and closes.
 */
import { DecodeError } from '../../src/wire/errors.js';
import {
  TAC_PLUS_ACCT_FLAG_START,
  TAC_PLUS_ACCT_FLAG_STOP,
  TAC_PLUS_ACCT_FLAG_WATCHDOG,
  TAC_PLUS_ACCT_STATUS_ERROR,
  TAC_PLUS_ACCT_STATUS_SUCCESS,
  TAC_PLUS_AUTHEN,
  TAC_PLUS_AUTHEN_LOGIN,
  TAC_PLUS_AUTHEN_STATUS_ERROR,
  TAC_PLUS_AUTHEN_STATUS_FAIL,
  TAC_PLUS_AUTHEN_STATUS_GETPASS,
  TAC_PLUS_AUTHEN_STATUS_GETUSER,
  TAC_PLUS_AUTHEN_STATUS_PASS,
  TAC_PLUS_AUTHEN_SVC_ENABLE,
  TAC_PLUS_AUTHEN_TYPE_ASCII,
  TAC_PLUS_AUTHEN_TYPE_CHAP,
  TAC_PLUS_AUTHEN_TYPE_MSCHAP,
  TAC_PLUS_AUTHEN_TYPE_MSCHAPV2,
  TAC_PLUS_AUTHEN_TYPE_PAP,
  TAC_PLUS_AUTHOR,
  TAC_PLUS_AUTHOR_STATUS_ERROR,
  TAC_PLUS_AUTHOR_STATUS_FAIL,
  TAC_PLUS_AUTHOR_STATUS_PASS_ADD,
  TAC_PLUS_CONTINUE_FLAG_ABORT,
  TAC_PLUS_MINOR_VER_DEFAULT,
  TAC_PLUS_MINOR_VER_ONE,
  TAC_PLUS_REPLY_FLAG_NOECHO,
  TAC_PLUS_SINGLE_CONNECT_FLAG,
  TAC_PLUS_UNENCRYPTED_FLAG,
  decodeAcctRequest,
  decodeAuthenContinue,
  decodeAuthenStart,
  decodeAuthorRequest,
  decodeHeader,
  decodePacket,
  encodeAcctReply,
  encodeAuthenReply,
  encodeAuthorResponse,
  parseAvPair,
  type AuthenStart,
  type TacacsHeader,
} from '../../src/wire/tacacs.js';
import { checkChap, checkMschapV1, checkMschapV2, checkPassword, type TacacsUser, type Verdict } from './users.js';

export interface EngineConfig {
  users: ReadonlyMap<string, TacacsUser>;
  /** Whether MS-CHAP v1/v2 logins are supported (tac_plus-ng: yes; tac_plus F4: no). */
  msChap: boolean;
  /** Agree to Single Connection Mode when the client asks (RFC 8907 §4.3). */
  singleConnection: boolean;
}

export type AuthenKind = 'ascii' | 'pap' | 'chap' | 'mschap' | 'mschapv2' | 'other';

export interface ServerEvent {
  kind: 'authen' | 'author' | 'acct' | 'error' | 'abort';
  remote: string;
  sessionId?: number;
  user?: string;
  authenType?: AuthenKind;
  result?: 'pass' | 'fail' | 'error' | 'success';
  reason?: string;
  args?: string[];
}

export interface AccountingEntry {
  time: number;
  remote: string;
  kind: 'start' | 'stop' | 'watchdog' | 'watchdog-update' | 'invalid';
  flags: number;
  user: string;
  port: string;
  remAddr: string;
  args: string[];
  /** Parsed args (last one wins). */
  avpairs: Record<string, string>;
}

export interface Reply {
  header: Omit<TacacsHeader, 'length'>;
  body: Uint8Array;
  /** A FAIL (servers may delay these). */
  failed: boolean;
}

export interface Step {
  reply?: Reply;
  /** Close the connection after the reply. */
  close: boolean;
  event?: ServerEvent;
  accounting?: AccountingEntry;
}

interface AsciiSession {
  user: string;
  minorVersion: number;
  nextSeq: number;
  emptyUserPrompts: number;
}

const BAD_KEY = 'bad key or protocol error';
/** RFC 8907 §5.4.2.1: recommended limit on asking again for a username. */
const MAX_USER_PROMPTS = 3;

export class ConnectionEngine {
  private readonly sessions = new Map<number, AsciiSession>();
  private packets = 0;
  /** Single Connection Mode agreed on the first packet. */
  single = false;
  /** The request being answered came unobfuscated (no key configured). */
  private clear = false;

  constructor(
    private readonly config: EngineConfig,
    private readonly remote: string,
  ) {}

  /** True while an ASCII login waits for a CONTINUE. */
  get busy(): boolean {
    return this.sessions.size > 0;
  }

  handle(raw: Uint8Array, key: string): Step {
    const first = this.packets++ === 0;
    const header = decodeHeader(raw);
    if (header instanceof DecodeError) return this.fatal(`unreadable header: ${header.message}`);
    if (first) this.single = this.config.singleConnection && (header.flags & TAC_PLUS_SINGLE_CONNECT_FLAG) !== 0;
    // RFC 8907 §4.5: "A request MUST be dropped if TAC_PLUS_UNENCRYPTED_FLAG is set" (unless,
    // like tac_plus, no key is configured at all).
    this.clear = (header.flags & TAC_PLUS_UNENCRYPTED_FLAG) !== 0;
    if (this.clear && key !== '') return this.fatal('unobfuscated request dropped', header.sessionId);
    if (header.seqNo % 2 === 0) return this.fatal(`even seq_no ${header.seqNo} from a client`, header.sessionId);
    const packet = decodePacket(raw, key);
    if (packet instanceof DecodeError) return this.fatal(packet.message, header.sessionId);
    const body = packet.body;
    switch (header.type) {
      case TAC_PLUS_AUTHEN:
        return header.seqNo === 1 ? this.start(header, body) : this.continue(header, body);
      case TAC_PLUS_AUTHOR:
        return this.authorize(header, body);
      default:
        return this.account(header, body);
    }
  }

  private start(h: TacacsHeader, body: Uint8Array): Step {
    const start = decodeAuthenStart(body);
    if (start instanceof DecodeError) return this.authenError(h, undefined, `${BAD_KEY} (${start.message})`);
    const kind = authenKind(start.authenType);
    if (this.sessions.has(h.sessionId)) return this.authenError(h, start.user, 'START for a session in progress', kind);
    if (start.action !== TAC_PLUS_AUTHEN_LOGIN || start.service === TAC_PLUS_AUTHEN_SVC_ENABLE) {
      // RFC 8907 §5.4.2: an option the server does not implement gets FAIL.
      return this.finish(h, start.user, kind, { pass: false, reason: `action ${start.action} / service ${start.service} not implemented` });
    }
    // §5.4.1: ASCII uses minor version 0, PAP/CHAP/MS-CHAP minor version 1.
    const wantMinor = kind === 'ascii' ? TAC_PLUS_MINOR_VER_DEFAULT : TAC_PLUS_MINOR_VER_ONE;
    if (h.minorVersion !== wantMinor) {
      return this.authenError(h, start.user, `${kind} login with minor version ${h.minorVersion}`, kind);
    }
    if (kind === 'ascii') return this.asciiStart(h, start);
    if (kind === 'other') return this.finish(h, start.user, kind, { pass: false, reason: `authen_type ${start.authenType} not implemented` });
    if ((kind === 'mschap' || kind === 'mschapv2') && !this.config.msChap) {
      return this.finish(h, start.user, kind, { pass: false, reason: 'MS-CHAP not supported by this server' });
    }
    const user = this.config.users.get(start.user);
    if (!user) return this.finish(h, start.user, kind, { pass: false, reason: 'no such user' });
    return this.finish(h, start.user, kind, verify(kind, user, start.data));
  }

  private asciiStart(h: TacacsHeader, start: AuthenStart): Step {
    const session: AsciiSession = { user: start.user, minorVersion: h.minorVersion, nextSeq: 3, emptyUserPrompts: 0 };
    this.sessions.set(h.sessionId, session);
    return this.prompt(h, session);
  }

  /** GETUSER until a name is given, then GETPASS with echo off (RFC 8907 §5.4.2.1). */
  private prompt(h: TacacsHeader, session: AsciiSession): Step {
    const askUser = session.user === '';
    const body = encodeAuthenReply({
      status: askUser ? TAC_PLUS_AUTHEN_STATUS_GETUSER : TAC_PLUS_AUTHEN_STATUS_GETPASS,
      flags: askUser ? 0 : TAC_PLUS_REPLY_FLAG_NOECHO,
      serverMsg: askUser ? 'Username: ' : 'Password: ',
      data: new Uint8Array(0),
    });
    session.nextSeq = h.seqNo + 2;
    return { reply: this.reply(h, body, false), close: false };
  }

  private continue(h: TacacsHeader, body: Uint8Array): Step {
    const session = this.sessions.get(h.sessionId);
    const cont = decodeAuthenContinue(body);
    if (cont instanceof DecodeError) return this.authenError(h, session?.user, `${BAD_KEY} (${cont.message})`, 'ascii');
    if (!session) return this.authenError(h, undefined, `CONTINUE for unknown session 0x${h.sessionId.toString(16)}`);
    if (h.seqNo !== session.nextSeq || h.minorVersion !== session.minorVersion) {
      return this.authenError(h, session.user, `CONTINUE seq_no ${h.seqNo} version ${h.minorVersion}, expected ${session.nextSeq}`, 'ascii');
    }
    if (cont.flags & TAC_PLUS_CONTINUE_FLAG_ABORT) {
      // §5.4.3: the client ends the session; nothing is sent back.
      this.sessions.delete(h.sessionId);
      return { close: !this.single && !this.busy, event: this.event('abort', h, session.user, 'ascii') };
    }
    const typed = new TextDecoder().decode(cont.userMsg);
    if (session.user === '') {
      if (typed === '') {
        session.emptyUserPrompts++;
        if (session.emptyUserPrompts >= MAX_USER_PROMPTS) {
          return this.finish(h, '', 'ascii', { pass: false, reason: 'no username given' });
        }
      }
      session.user = typed;
      return this.prompt(h, session);
    }
    const user = this.config.users.get(session.user);
    const verdict: Verdict = user ? checkPassword(user, cont.userMsg) : { pass: false, reason: 'no such user' };
    return this.finish(h, session.user, 'ascii', verdict);
  }

  private finish(h: TacacsHeader, user: string, kind: AuthenKind, verdict: Verdict): Step {
    this.sessions.delete(h.sessionId);
    const body = encodeAuthenReply({
      status: verdict.pass ? TAC_PLUS_AUTHEN_STATUS_PASS : TAC_PLUS_AUTHEN_STATUS_FAIL,
      flags: 0,
      serverMsg: verdict.pass ? '' : 'Authentication failed',
      data: new Uint8Array(0),
    });
    const event = this.event('authen', h, user, kind);
    event.result = verdict.pass ? 'pass' : 'fail';
    if (!verdict.pass) event.reason = verdict.reason;
    return { reply: this.reply(h, body, !verdict.pass), close: this.closeAfterSession(), event };
  }

  private authenError(h: TacacsHeader, user: string | undefined, reason: string, kind?: AuthenKind): Step {
    this.sessions.delete(h.sessionId);
    const body = encodeAuthenReply({ status: TAC_PLUS_AUTHEN_STATUS_ERROR, flags: 0, serverMsg: reason, data: new Uint8Array(0) });
    const event = this.event('authen', h, user, kind);
    event.result = 'error';
    event.reason = reason;
    // §4.4: after an error such as a wrong secret, no further sessions on this connection.
    return { reply: this.reply(h, body, false), close: true, event };
  }

  private authorize(h: TacacsHeader, body: Uint8Array): Step {
    const request = decodeAuthorRequest(body);
    const event = this.event('author', h);
    let status: number;
    let args: string[] = [];
    let serverMsg = '';
    if (request instanceof DecodeError) {
      status = TAC_PLUS_AUTHOR_STATUS_ERROR;
      serverMsg = `${BAD_KEY} (${request.message})`;
    } else if (h.minorVersion !== TAC_PLUS_MINOR_VER_DEFAULT) {
      status = TAC_PLUS_AUTHOR_STATUS_ERROR;
      serverMsg = `authorization with minor version ${h.minorVersion}`;
    } else {
      event.user = request.user;
      event.args = request.args;
      const user = this.config.users.get(request.user);
      const service = request.args.map(parseAvPair).find((p) => !(p instanceof DecodeError) && p.name === 'service');
      const serviceName = service && !(service instanceof DecodeError) ? service.value : undefined;
      if (!user) {
        status = TAC_PLUS_AUTHOR_STATUS_FAIL;
        serverMsg = 'no such user';
      } else if (user.authorize === false || serviceName !== 'ppp') {
        status = TAC_PLUS_AUTHOR_STATUS_FAIL;
        serverMsg = serviceName === 'ppp' ? 'not authorized' : `service ${serviceName ?? '(none)'} not authorized`;
      } else {
        status = TAC_PLUS_AUTHOR_STATUS_PASS_ADD;
        args = user.avpairs ?? [];
      }
    }
    event.result = status === TAC_PLUS_AUTHOR_STATUS_PASS_ADD ? 'pass' : status === TAC_PLUS_AUTHOR_STATUS_FAIL ? 'fail' : 'error';
    if (serverMsg) event.reason = serverMsg;
    const reply = encodeAuthorResponse({ status, serverMsg, data: new Uint8Array(0), args });
    const close = status === TAC_PLUS_AUTHOR_STATUS_ERROR || this.closeAfterSession();
    return { reply: this.reply(h, reply, status === TAC_PLUS_AUTHOR_STATUS_FAIL), close, event };
  }

  private account(h: TacacsHeader, body: Uint8Array): Step {
    const request = decodeAcctRequest(body);
    const event = this.event('acct', h);
    if (request instanceof DecodeError || h.minorVersion !== TAC_PLUS_MINOR_VER_DEFAULT) {
      const reason = request instanceof DecodeError ? `${BAD_KEY} (${request.message})` : `accounting with minor version ${h.minorVersion}`;
      event.result = 'error';
      event.reason = reason;
      const reply = encodeAcctReply({ status: TAC_PLUS_ACCT_STATUS_ERROR, serverMsg: reason, data: new Uint8Array(0) });
      return { reply: this.reply(h, reply, false), close: true, event };
    }
    event.user = request.user;
    event.args = request.args;
    event.result = 'success';
    const avpairs: Record<string, string> = {};
    for (const arg of request.args) {
      const p = parseAvPair(arg);
      if (!(p instanceof DecodeError)) avpairs[p.name] = p.value;
    }
    const accounting: AccountingEntry = {
      time: Date.now(),
      remote: this.remote,
      kind: acctKind(request.flags),
      flags: request.flags,
      user: request.user,
      port: request.port,
      remAddr: request.remAddr,
      args: request.args,
      avpairs,
    };
    const reply = encodeAcctReply({ status: TAC_PLUS_ACCT_STATUS_SUCCESS, serverMsg: '', data: new Uint8Array(0) });
    return { reply: this.reply(h, reply, false), close: this.closeAfterSession(), event, accounting };
  }

  private reply(h: TacacsHeader, body: Uint8Array, failed: boolean): Reply {
    return {
      header: {
        minorVersion: h.minorVersion,
        type: h.type,
        seqNo: h.seqNo + 1,
        flags: (this.single ? TAC_PLUS_SINGLE_CONNECT_FLAG : 0) | (this.clear ? TAC_PLUS_UNENCRYPTED_FLAG : 0),
        sessionId: h.sessionId,
      },
      body,
      failed,
    };
  }

  /** §4.4: without Single Connection Mode, the connection ends with the session. */
  private closeAfterSession(): boolean {
    return !this.single && !this.busy;
  }

  private fatal(reason: string, sessionId?: number): Step {
    return { close: true, event: { kind: 'error', remote: this.remote, sessionId, reason } };
  }

  private event(kind: ServerEvent['kind'], h: TacacsHeader, user?: string, authenType?: AuthenKind): ServerEvent {
    const e: ServerEvent = { kind, remote: this.remote, sessionId: h.sessionId };
    if (user !== undefined) e.user = user;
    if (authenType !== undefined) e.authenType = authenType;
    return e;
  }
}

function authenKind(authenType: number): AuthenKind {
  switch (authenType) {
    case TAC_PLUS_AUTHEN_TYPE_ASCII:
      return 'ascii';
    case TAC_PLUS_AUTHEN_TYPE_PAP:
      return 'pap';
    case TAC_PLUS_AUTHEN_TYPE_CHAP:
      return 'chap';
    case TAC_PLUS_AUTHEN_TYPE_MSCHAP:
      return 'mschap';
    case TAC_PLUS_AUTHEN_TYPE_MSCHAPV2:
      return 'mschapv2';
    default:
      return 'other';
  }
}

function verify(kind: AuthenKind, user: TacacsUser, data: Uint8Array): Verdict {
  switch (kind) {
    case 'pap':
      return checkPassword(user, data);
    case 'chap':
      return checkChap(user, data);
    case 'mschap':
      return checkMschapV1(user, data);
    case 'mschapv2':
      return checkMschapV2(user, data);
    default:
      return { pass: false, reason: `${kind} not checked here` };
  }
}

/** RFC 8907 §7.2 flag combinations. */
function acctKind(flags: number): AccountingEntry['kind'] {
  const start = (flags & TAC_PLUS_ACCT_FLAG_START) !== 0;
  const stop = (flags & TAC_PLUS_ACCT_FLAG_STOP) !== 0;
  const watchdog = (flags & TAC_PLUS_ACCT_FLAG_WATCHDOG) !== 0;
  if (watchdog && !stop) return start ? 'watchdog-update' : 'watchdog';
  if (start && !stop && !watchdog) return 'start';
  if (stop && !start && !watchdog) return 'stop';
  return 'invalid';
}
