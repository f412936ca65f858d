/** The test server's protocol engine on its own (sans-IO): flows Authen::TacacsPlus does not reach. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isDecodeError } from '../../src/wire/errors.js';
import {
  TAC_PLUS_ACCT,
  TAC_PLUS_AUTHEN,
  TAC_PLUS_AUTHEN_STATUS_ERROR,
  TAC_PLUS_AUTHEN_STATUS_FAIL,
  TAC_PLUS_AUTHEN_STATUS_GETPASS,
  TAC_PLUS_AUTHEN_STATUS_GETUSER,
  TAC_PLUS_AUTHEN_STATUS_PASS,
  TAC_PLUS_CONTINUE_FLAG_ABORT,
  TAC_PLUS_SINGLE_CONNECT_FLAG,
  TAC_PLUS_UNENCRYPTED_FLAG,
  decodeAuthenReply,
  encodeAcctRequest,
  encodeAuthenContinue,
  encodeAuthenStart,
  encodePacket,
  type TacacsHeader,
} from '../../src/wire/tacacs.js';
import { ConnectionEngine, type Step } from '../tacacs-server/engine.js';

const KEY = 'k';
const users = new Map([['cisco', { name: 'cisco', password: 'cisco123' }]]);

function engine(singleConnection = false): ConnectionEngine {
  return new ConnectionEngine({ users, msChap: true, singleConnection }, '127.0.0.1');
}

function start(user: string, authenType = 1, minorVersion = 0, flags = 0, sessionId = 1): Uint8Array {
  const body = encodeAuthenStart({ action: 1, privLvl: 1, authenType, service: 1, user, port: 'tty1', remAddr: '', data: new Uint8Array(0) });
  return encodePacket({ minorVersion, type: TAC_PLUS_AUTHEN, seqNo: 1, flags, sessionId }, body, KEY);
}

function cont(seqNo: number, text: string, flags = 0, sessionId = 1): Uint8Array {
  const body = encodeAuthenContinue({ userMsg: new TextEncoder().encode(text), data: new Uint8Array(0), flags });
  return encodePacket({ minorVersion: 0, type: TAC_PLUS_AUTHEN, seqNo, flags: 0, sessionId }, body, KEY);
}

function status(step: Step): [number, number, boolean] {
  assert.ok(step.reply, 'a reply');
  const r = decodeAuthenReply(step.reply.body);
  assert.ok(!isDecodeError(r));
  return [step.reply.header.seqNo, r.status, step.close];
}

describe('test server engine (RFC 8907 §4, §5.4.2.1, §5.4.3)', () => {
  it('ASCII with the user in START: GETPASS, then PASS and close', () => {
    const e = engine();
    assert.deepEqual(status(e.handle(start('cisco'), KEY)), [2, TAC_PLUS_AUTHEN_STATUS_GETPASS, false]);
    assert.deepEqual(status(e.handle(cont(3, 'cisco123'), KEY)), [4, TAC_PLUS_AUTHEN_STATUS_PASS, true]);
  });

  it('ASCII: at most three empty usernames, then FAIL', () => {
    const e = engine();
    assert.deepEqual(status(e.handle(start(''), KEY)), [2, TAC_PLUS_AUTHEN_STATUS_GETUSER, false]);
    assert.deepEqual(status(e.handle(cont(3, ''), KEY)), [4, TAC_PLUS_AUTHEN_STATUS_GETUSER, false]);
    assert.deepEqual(status(e.handle(cont(5, ''), KEY)), [6, TAC_PLUS_AUTHEN_STATUS_GETUSER, false]);
    assert.deepEqual(status(e.handle(cont(7, ''), KEY)), [8, TAC_PLUS_AUTHEN_STATUS_FAIL, true]);
  });

  it('ASCII: abort ends the session without a reply; a CONTINUE out of sequence is an ERROR', () => {
    const e = engine();
    e.handle(start('cisco'), KEY);
    const aborted = e.handle(cont(3, '', TAC_PLUS_CONTINUE_FLAG_ABORT), KEY);
    assert.equal(aborted.reply, undefined);
    assert.equal(aborted.event?.kind, 'abort');
    const f = engine();
    f.handle(start('cisco'), KEY);
    assert.deepEqual(status(f.handle(cont(5, 'cisco123'), KEY)), [6, TAC_PLUS_AUTHEN_STATUS_ERROR, true]);
  });

  it('minor version must match the login kind (§5.4.1)', () => {
    assert.deepEqual(status(engine().handle(start('cisco', 1, 1), KEY)), [2, TAC_PLUS_AUTHEN_STATUS_ERROR, true]);
    assert.deepEqual(status(engine().handle(start('cisco', 2, 0), KEY)), [2, TAC_PLUS_AUTHEN_STATUS_ERROR, true]);
  });

  it('drops unobfuscated requests and even sequence numbers (§4.5, §4.1)', () => {
    const clear = engine().handle(start('cisco', 1, 0, TAC_PLUS_UNENCRYPTED_FLAG), KEY);
    assert.equal(clear.reply, undefined);
    assert.equal(clear.close, true);
    const h: Omit<TacacsHeader, 'length'> = { minorVersion: 0, type: TAC_PLUS_AUTHEN, seqNo: 2, flags: 0, sessionId: 5 };
    const even = engine().handle(encodePacket(h, new Uint8Array(5), KEY), KEY);
    assert.equal(even.reply, undefined);
    assert.match(even.event?.reason ?? '', /even seq_no/);
  });

  it('a wrong key gives ERROR "bad key or protocol error" and closes', () => {
    const step = engine().handle(start('cisco'), 'other');
    assert.deepEqual(status(step), [2, TAC_PLUS_AUTHEN_STATUS_ERROR, true]);
    assert.match(step.event?.reason ?? '', /bad key or protocol error/);
  });

  it('Single Connection Mode: agreed only when both want it, and the connection stays open', () => {
    const both = engine(true);
    const step = both.handle(start('cisco', 1, 0, TAC_PLUS_SINGLE_CONNECT_FLAG), KEY);
    assert.equal(step.reply?.header.flags, TAC_PLUS_SINGLE_CONNECT_FLAG);
    assert.deepEqual(status(both.handle(cont(3, 'cisco123'), KEY)), [4, TAC_PLUS_AUTHEN_STATUS_PASS, false]);
    const acct = encodeAcctRequest({ flags: 2, authenMethod: 0, privLvl: 1, authenType: 0, service: 3, user: 'cisco', port: '', remAddr: '', args: ['task_id=9'] });
    const second = both.handle(encodePacket({ minorVersion: 0, type: TAC_PLUS_ACCT, seqNo: 1, flags: 0, sessionId: 2 }, acct, KEY), KEY);
    assert.equal(second.accounting?.kind, 'start');
    assert.equal(second.close, false);
    const serverOnly = engine(true).handle(start('cisco'), KEY);
    assert.equal(serverOnly.reply?.header.flags, 0);
  });
});
