/**
 * Fuzz target for TACACS+ (RFC 8907): stream framing, the header and de-obfuscation, then every
 * body codec on the clear body (a mutated obfuscated body is only noise, so the body codecs are fed
 * the octets after the header as if the packet were unobfuscated) and the AV pairs a reply carries.
 */
import assert from 'node:assert/strict';
import { PacketFramer } from '../../../src/aaa/tacacs/framer.js';
import { applyAuthorization } from '../../../src/aaa/tacacs/authorization.js';
import { replyHeaderProblem } from '../../../src/aaa/tacacs/reply-check.js';
import { isDecodeError } from '../../../src/wire/errors.js';
import {
  TAC_PLUS_ACCT,
  TAC_PLUS_AUTHEN,
  TAC_PLUS_AUTHOR,
  TAC_PLUS_HEADER_SIZE,
  TAC_PLUS_UNENCRYPTED_FLAG,
  decodeAcctReply,
  decodeAcctRequest,
  decodeAuthenContinue,
  decodeAuthenReply,
  decodeAuthenStart,
  decodeAuthorRequest,
  decodeAuthorResponse,
  decodeHeader,
  decodePacket,
  encodeAcctReply,
  encodeAuthenReply,
  encodeAuthenStart,
  encodeAuthorResponse,
  encodePacket,
} from '../../../src/wire/tacacs.js';
import type { FuzzTarget } from '../harness.js';
import { errSig } from './pptp-wire.js';

const KEY = 'tackey';

function seeds(): Uint8Array[] {
  const h = { minorVersion: 1, seqNo: 2, flags: 0, sessionId: 0x12345678 };
  const clear = { ...h, flags: TAC_PLUS_UNENCRYPTED_FLAG };
  const reply = encodeAuthenReply({ status: 1, flags: 0, serverMsg: 'welcome', data: new Uint8Array(0) });
  const author = encodeAuthorResponse({ status: 1, serverMsg: '', data: new Uint8Array(0), args: ['service=ppp', 'protocol=ip', 'addr=192.168.1.9', 'timeout*30', 'idletime=5'] });
  const acct = encodeAcctReply({ status: 1, serverMsg: 'ok', data: new Uint8Array(0) });
  const start = encodeAuthenStart({ action: 1, privLvl: 1, authenType: 2, service: 3, user: 'cisco', port: 'vpdn1', remAddr: '10.44.17.104', data: new Uint8Array(Buffer.from('cisco')) });
  return [
    encodePacket({ ...h, type: TAC_PLUS_AUTHEN }, reply, KEY),
    encodePacket({ ...clear, type: TAC_PLUS_AUTHEN }, reply, KEY),
    encodePacket({ ...clear, type: TAC_PLUS_AUTHOR }, author, KEY),
    encodePacket({ ...clear, type: TAC_PLUS_ACCT }, acct, KEY),
    encodePacket({ ...clear, seqNo: 1, type: TAC_PLUS_AUTHEN }, start, KEY),
  ];
}

export const tacacs: FuzzTarget = {
  name: 'tacacs',
  seeds,
  dictionary: [new Uint8Array([0xc1, 0x01]), new Uint8Array([0xc0, 0x02]), new Uint8Array([0xc1, 0x03]), new Uint8Array(Buffer.from('service=ppp'))],
  maxInputBytes: 4096,
  run(input) {
    let sig = '';
    // Framing: the same packets however the stream is cut.
    const whole = new PacketFramer(4096);
    const split = new PacketFramer(4096);
    const a = whole.push(input);
    let b: Uint8Array[] = [];
    let splitError = false;
    for (let at = 0; at < input.length; at += 7) {
      const r = split.push(input.subarray(at, at + 7));
      if (isDecodeError(r)) {
        splitError = true;
        break;
      }
      b = b.concat(r);
    }
    if (isDecodeError(a)) {
      assert.ok(splitError || b.length >= 0);
      sig += errSig(a);
    } else {
      assert.equal(splitError, false);
      assert.deepEqual(b, a);
      assert.ok(whole.pending <= TAC_PLUS_HEADER_SIZE + 4096);
      sig += `framed:${a.length}`;
    }
    const p = decodePacket(input, KEY, 4096);
    if (isDecodeError(p)) sig += ' ' + errSig(p);
    else {
      sig += ` ok:${p.header.type}`;
      const problem = replyHeaderProblem({ minorVersion: 1, type: TAC_PLUS_AUTHEN, seqNo: 1, flags: 0, sessionId: 0x12345678 }, p.header);
      sig += problem === undefined ? ' fits' : '';
    }
    const header = decodeHeader(input);
    const body = input.subarray(TAC_PLUS_HEADER_SIZE);
    if (!isDecodeError(header)) {
      for (const d of [decodeAuthenReply, decodeAuthenStart, decodeAuthenContinue, decodeAcctReply, decodeAcctRequest, decodeAuthorRequest]) {
        const r = d(body);
        sig += isDecodeError(r) ? ' e' : ' o';
      }
      const author = decodeAuthorResponse(body);
      if (!isDecodeError(author)) {
        const applied = applyAuthorization(author.args);
        sig += 'refused' in applied ? ' refused' : ` applied:${Object.keys(applied).length}`;
      }
    }
    return sig;
  },
};
