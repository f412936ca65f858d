import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PptpControlConnection } from '../../src/pptp/control-connection.js';
import type { PptpControlEvent } from '../../src/pptp/control-types.js';
import {
  ControlMessageType as T,
  decodeControlMessage,
  encodeControlMessage,
  type OutgoingCallRequest,
  type PptpControlMessage,
  type StartControlConnectionRequest,
} from '../../src/wire/pptp.js';
import { arbitraryControlMessage } from './control-arbitraries.js';
import { ControlPair } from './control-pair.js';

const SCCRQ: StartControlConnectionRequest = {
  messageType: 1, protocolVersion: 0x100, framingCapabilities: 1, bearerCapabilities: 1, maximumChannels: 0,
  firmwareRevision: 0x870, hostName: '', vendorString: 'Microsoft Windows NT',
};
const OCRQ: OutgoingCallRequest = {
  messageType: 7, callId: 0x4000, callSerialNumber: 58613, minimumBps: 300, maximumBps: 100_000_000, bearerType: 3,
  framingType: 3, packetRecvWindowSize: 64, packetProcessingDelay: 0, phoneNumberLength: 0, phoneNumber: '', subaddress: '',
};

/** A lone PAC fed raw messages; returns what it sent (decoded) and its other events. */
function feed(pac: PptpControlConnection, now: number, ...messages: PptpControlMessage[]) {
  for (const m of messages) pac.receive(encodeControlMessage(m), now);
  const events = pac.drain();
  const sent = events.flatMap((e) => (e.type === 'send' ? [decodeControlMessage(e.bytes) as PptpControlMessage] : []));
  return { sent, events: events.filter((e) => e.type !== 'send') as Exclude<PptpControlEvent, { type: 'send' }>[] };
}

const newPac = (debug = false) =>
  new PptpControlConnection({ role: 'pac', tunnelId: 9, debug: { packets: debug, events: debug } }, 0);

describe('PptpControlConnection PAC ↔ PNS', () => {
  it('SCCRQ → SCCRP → OCRQ → OCRP: both sides established with the call connected', () => {
    const p = ControlPair.connected({ hostName: 'pix', vendorString: 'vpdn' });
    assert.equal(p.pac.state, 'established');
    assert.equal(p.pns.state, 'established');
    assert.deepEqual(p.sent.pns.map((m) => m.messageType), [T.StartControlConnectionRequest, T.OutgoingCallRequest]);
    assert.deepEqual(p.sent.pac.map((m) => m.messageType), [T.StartControlConnectionReply, T.OutgoingCallReply]);
    const [start] = p.of('pac', 'start-request');
    assert.equal(start.vendorString, 'Microsoft Windows NT');
    assert.equal(p.of('pns', 'established')[0].peerVendor, 'vpdn');
    assert.equal(p.of('pns', 'established')[0].peerHostName, 'pix');
    const [request] = p.of('pac', 'call-request');
    assert.equal(request.peerCallId, 0x4000);
    assert.equal(request.peerReceiveWindow, 64);
    assert.deepEqual(
      p.of('pac', 'call-connected').map((e) => [e.callId, e.peerCallId]),
      [[9, 0x4000]],
    );
    const [pns] = p.of('pns', 'call-connected');
    assert.deepEqual([pns.callId, pns.peerCallId, pns.peerReceiveWindow], [0x4000, 9, 64]);
    const ocrp = p.sentOf('pac', T.OutgoingCallReply)[0] as { callId: number; peerCallId: number; resultCode: number };
    assert.deepEqual([ocrp.callId, ocrp.peerCallId, ocrp.resultCode], [9, 0x4000, 1]);
    assert.equal(p.pac.call(9)?.state, 'established');
    assert.equal(p.pns.call(0x4000)?.peerCallId, 9);
  });

  it('answers Echo-Requests, sends its own after a quiet minute, and stays up', () => {
    const p = ControlPair.connected();
    p.advanceTo(60_000);
    assert.equal(p.sentOf('pac', T.EchoRequest).length + p.sentOf('pns', T.EchoRequest).length, 2);
    assert.equal(p.sentOf('pac', T.EchoReply).length + p.sentOf('pns', T.EchoReply).length, 2);
    p.advanceTo(200_000);
    assert.equal(p.pac.state, 'established');
    assert.equal(p.pns.state, 'established');
    assert.deepEqual(p.of('pac', 'log').filter((l) => l.category === 'error'), []);
  });

  it('closes when the Echo-Reply does not come (RFC 2637 §3.1.4), clearing the call', () => {
    const p = ControlPair.connected({ echoInterval: 30_000, echoTimeout: 20_000 });
    p.mute.pns = true;
    p.advanceTo(30_000);
    assert.equal(p.sentOf('pac', T.EchoRequest).length, 1);
    assert.equal(p.pac.state, 'established');
    p.advanceTo(50_000);
    assert.equal(p.pac.state, 'closed');
    assert.match(p.of('pac', 'closed')[0].reason, /no Echo-Reply within 20 s/);
    assert.deepEqual(p.of('pac', 'call-cleared').map((e) => e.callId), [9]);
  });

  it('records Set-Link-Info ACCMs on the call', () => {
    const p = ControlPair.connected();
    assert.ok(p.pns.setLinkInfo(0x4000, 0, 0xffffffff, p.now));
    p.pump();
    assert.equal((p.sentOf('pns', T.SetLinkInfo)[0] as { peerCallId: number }).peerCallId, 9);
    assert.deepEqual(p.of('pac', 'set-link-info'), [
      { type: 'set-link-info', callId: 9, peerCallId: 0x4000, sendAccm: 0, recvAccm: 0xffffffff },
    ]);
    assert.equal(p.pac.call(9)?.sendAccm, 0);
  });

  it('records WAN-Error-Notify on the call', () => {
    const p = ControlPair.connected();
    p.pns.receive(
      encodeControlMessage({
        messageType: T.WanErrorNotify, peerCallId: 0x4000, crcErrors: 1, framingErrors: 2, hardwareOverruns: 3,
        bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6,
      }),
      0,
    );
    p.pump();
    assert.equal(p.of('pns', 'wan-error-notify')[0].crcErrors, 1);
    assert.equal(p.pns.call(0x4000)?.wanErrors?.alignmentErrors, 6);
  });

  it('Call-Clear-Request from the PNS → Call-Disconnect-Notify (result 4 Request) from the PAC', () => {
    const p = ControlPair.connected();
    assert.ok(p.pns.clearCall(0x4000, 'user hung up', p.now));
    assert.equal(p.pns.call(0x4000)?.state, 'wait-disconnect');
    p.pump();
    assert.deepEqual(p.sentOf('pns', T.CallClearRequest), [{ messageType: T.CallClearRequest, callId: 0x4000 }]);
    const [cdn] = p.sentOf('pac', T.CallDisconnectNotify) as { callId: number; resultCode: number }[];
    assert.deepEqual([cdn.callId, cdn.resultCode], [9, 4]);
    assert.deepEqual(p.of('pac', 'call-cleared').map((e) => [e.callId, e.peerCallId]), [[9, 0x4000]]);
    assert.match(p.of('pns', 'call-cleared')[0].reason, /result 4 \(Request\)/);
    assert.equal(p.pac.callCount, 0);
    assert.equal(p.pns.callCount, 0);
  });

  it('the PAC clears a call with Call-Disconnect-Notify (Admin Shutdown by default)', () => {
    const p = ControlPair.connected({ debug: { events: true } });
    assert.ok(p.pac.clearCall(9, 'mppe required but not active', p.now));
    p.pump();
    assert.equal((p.sentOf('pac', T.CallDisconnectNotify)[0] as { resultCode: number }).resultCode, 3);
    assert.match(p.of('pns', 'call-cleared')[0].reason, /Admin Shutdown/);
    assert.ok(
      p.of('pac', 'log').some((l) => l.message === 'PPTP: Call id 9, reason: mppe required but not active, call cleared'),
    );
    assert.equal(p.pac.clearCall(9, 'again', p.now), false);
  });

  it('Stop-Control-Connection from the PNS: reply, both closed', () => {
    const p = ControlPair.connected();
    p.pns.stop('user disconnected', p.now);
    assert.equal(p.pns.state, 'wait-stop-reply');
    p.pump();
    assert.equal(p.sentOf('pac', T.StopControlConnectionReply).length, 1);
    assert.equal(p.pac.state, 'closed');
    assert.equal(p.pns.state, 'closed');
    assert.deepEqual(p.of('pac', 'call-cleared').map((e) => e.callId), [9]);
    assert.deepEqual(p.of('pns', 'call-cleared').map((e) => e.callId), [0x4000]);
    assert.equal(p.of('pac', 'closed').length, 1);
  });

  it('Stop-Control-Connection from the PAC (clear vpdn tunnel): CDN for the call, then StopCCRQ', () => {
    const p = ControlPair.connected();
    p.pac.stop('clear vpdn tunnel', p.now, 3);
    p.pump();
    assert.deepEqual(p.sent.pac.slice(-2).map((m) => m.messageType), [T.CallDisconnectNotify, T.StopControlConnectionRequest]);
    assert.equal((p.sent.pac.at(-1) as { reason: number }).reason, 3);
    assert.equal(p.pac.state, 'closed');
    assert.equal(p.pns.state, 'closed');
    assert.equal(p.of('pns', 'call-cleared').length, 1);
  });

  it('a session limit refuses the control connection cleanly (result 2, error 4 No-Resource)', () => {
    const p = new ControlPair();
    p.onPacEvent = (e, c) => {
      if (e.type === 'start-request') c.rejectControl(2, 4, p.now);
    };
    p.pns.start(0);
    p.pump();
    assert.equal(p.pac.state, 'closed');
    assert.equal(p.pns.state, 'closed');
    assert.match(p.of('pns', 'closed')[0].reason, /result 2 \(General error\), error 4 \(No-Resource\)/);
  });

  it('a refused call: OCRP result 4 Busy, the PNS clears it', () => {
    const p = new ControlPair();
    p.onPacEvent = (e, c) => {
      if (e.type === 'start-request') c.acceptControl(p.now);
      if (e.type === 'call-request') c.rejectCall(e.peerCallId, 4, 0, p.now);
    };
    p.pns.start(0);
    p.pump();
    assert.ok(p.pns.placeCall(7, p.now));
    p.pump();
    assert.equal((p.sentOf('pac', T.OutgoingCallReply)[0] as { resultCode: number }).resultCode, 4);
    assert.match(p.of('pns', 'call-cleared')[0].reason, /result 4 \(Busy\)/);
    assert.equal(p.pns.callCount, 0);
    assert.equal(p.pac.callCount, 0);
  });

  it('checks call ids are 16-bit and unique', () => {
    const p = ControlPair.connected();
    assert.throws(() => p.pns.placeCall(70_000, 0), RangeError);
    assert.equal(p.pns.placeCall(0x4000, 0), false);
    assert.ok(p.pns.placeCall(0x4001, 0));
    p.onPacEvent = () => {};
    p.pump();
    assert.equal(p.pac.acceptCall(0x4001, 9, 64, 0), false);
    assert.ok(p.pac.acceptCall(0x4001, 10, 64, 0));
  });

  it('connectionLost clears the calls and closes', () => {
    const p = ControlPair.connected();
    p.pac.connectionLost('TCP reset', 5);
    p.pump();
    assert.deepEqual(p.of('pac', 'call-cleared')[0], { type: 'call-cleared', callId: 9, peerCallId: 0x4000, reason: 'TCP reset' });
    assert.equal(p.of('pac', 'closed')[0].reason, 'TCP reset');
    p.pac.receive(encodeControlMessage({ messageType: 5, identifier: 1 }), 6);
    assert.deepEqual(p.pac.drain(), []);
  });
});

describe('PptpControlConnection out of state and malformed input', () => {
  it('OCRQ before SCCRQ → OCRP General error / Not-Connected (RFC 2637 §2.16)', () => {
    const { sent, events } = feed(newPac(), 0, OCRQ);
    assert.deepEqual(sent.map((m) => m.messageType), [T.OutgoingCallReply]);
    assert.deepEqual([(sent[0] as { resultCode: number }).resultCode, (sent[0] as { errorCode: number }).errorCode], [2, 1]);
    assert.ok(events.some((e) => e.type === 'log' && e.category === 'error'));
    assert.ok(!events.some((e) => e.type === 'call-request'));
  });

  it('Echo-Request before SCCRQ → Echo-Reply General error / Not-Connected', () => {
    const { sent } = feed(newPac(), 0, { messageType: 5, identifier: 77 });
    assert.deepEqual(sent, [{ messageType: 6, identifier: 77, resultCode: 2, errorCode: 1 }]);
  });

  it('a second SCCRQ → SCCRP result 3 (channel exists), connection stays up', () => {
    const pac = newPac();
    feed(pac, 0, SCCRQ);
    pac.acceptControl(0);
    pac.drain();
    const { sent } = feed(pac, 1, SCCRQ);
    assert.equal((sent[0] as { resultCode: number }).resultCode, 3);
    assert.equal(pac.state, 'established');
  });

  it('an earlier protocol version → SCCRP result 5 and close (RFC 2637 §3.1.2)', () => {
    const pac = newPac();
    const { sent, events } = feed(pac, 0, { ...SCCRQ, protocolVersion: 0x00ff });
    assert.equal((sent[0] as { resultCode: number }).resultCode, 5);
    assert.equal(pac.state, 'closed');
    assert.ok(events.some((e) => e.type === 'closed'));
  });

  it('a later protocol version is answered with ours (RFC 2637 §3.1.2)', () => {
    const pac = newPac();
    feed(pac, 0, { ...SCCRQ, protocolVersion: 0x0200 });
    pac.acceptControl(0);
    const sent = pac.drain().flatMap((e) => (e.type === 'send' ? [decodeControlMessage(e.bytes)] : []));
    assert.equal((sent[0] as { protocolVersion: number }).protocolVersion, 0x0100);
  });

  it('an OCRQ reusing a live call id → OCRP Bad-Call ID', () => {
    const pac = newPac();
    feed(pac, 0, SCCRQ);
    pac.acceptControl(0);
    feed(pac, 0, OCRQ);
    pac.acceptCall(0x4000, 1, 64, 0);
    pac.drain();
    const { sent } = feed(pac, 0, OCRQ);
    assert.deepEqual([(sent[0] as { resultCode: number }).resultCode, (sent[0] as { errorCode: number }).errorCode], [2, 5]);
    assert.equal(pac.callCount, 1);
  });

  it('ICRQ → ICRP Do Not Accept; stray replies and unknown calls are logged and ignored', () => {
    const pac = newPac();
    feed(pac, 0, SCCRQ);
    pac.acceptControl(0);
    pac.drain();
    const icrq: PptpControlMessage = {
      messageType: 9, callId: 5, callSerialNumber: 1, callBearerType: 1, physicalChannelId: 0, dialedNumberLength: 0,
      dialingNumberLength: 0, dialedNumber: '', dialingNumber: '', subaddress: '',
    };
    const { sent } = feed(pac, 0, icrq);
    assert.deepEqual([(sent[0] as { peerCallId: number }).peerCallId, (sent[0] as { resultCode: number }).resultCode], [5, 3]);
    const stray = feed(
      pac, 0,
      { messageType: 4, resultCode: 1, errorCode: 0 },
      { messageType: 12, callId: 1234 },
      { messageType: 13, callId: 1, resultCode: 1, errorCode: 0, causeCode: 0, callStatistics: '' },
      { messageType: 15, peerCallId: 77, sendAccm: 0, receiveAccm: 0 },
      { messageType: 6, identifier: 1, resultCode: 1, errorCode: 0 },
    );
    assert.deepEqual(stray.sent, []);
    assert.equal(stray.events.filter((e) => e.type === 'log' && e.category === 'error').length, 5);
    assert.equal(pac.state, 'established');
  });

  it('a bad magic cookie closes at once with no reply (RFC 2637 §1.4)', () => {
    const pac = newPac();
    const b = encodeControlMessage(SCCRQ);
    b[4] = 0;
    pac.receive(b, 0);
    const out = pac.drain();
    assert.ok(!out.some((e) => e.type === 'send'));
    assert.match((out.find((e) => e.type === 'closed') as { reason: string }).reason, /magicCookie/);
  });

  it('never throws, whatever bytes or messages arrive, in either role', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pac' as const, 'pns' as const),
        fc.array(fc.oneof(arbitraryControlMessage.map(encodeControlMessage), fc.uint8Array({ maxLength: 40 })), {
          maxLength: 12,
        }),
        (role, chunks) => {
          const c = new PptpControlConnection({ role, tunnelId: 1, debug: { packets: true, events: true } }, 0);
          c.start(0);
          let t = 0;
          for (const chunk of chunks) {
            c.receive(chunk, (t += 1000));
            c.acceptControl(t);
            for (const e of c.drain()) if (e.type === 'call-request') c.acceptCall(e.peerCallId, 1, 64, t);
            c.handleTimeout(t);
          }
          c.handleTimeout(t + 1e6);
          c.drain();
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('PptpControlConnection timers (virtual clock)', () => {
  it('closes a connection that never sends SCCRQ after the idle timeout', () => {
    const pac = newPac();
    assert.equal(pac.nextTimeout(), 10_000);
    pac.handleTimeout(9_999);
    assert.equal(pac.state, 'idle');
    pac.handleTimeout(10_000);
    assert.equal(pac.state, 'closed');
    assert.match((pac.drain().find((e) => e.type === 'closed') as { reason: string }).reason, /no Start-Control-Connection-Request/);
  });

  it('closes when the owner never decides on the SCCRQ', () => {
    const pac = newPac();
    feed(pac, 2_000, SCCRQ);
    pac.handleTimeout(10_000);
    assert.equal(pac.state, 'closed');
  });

  it('stops a connection that stalls half way (SCCRP sent, no OCRQ) and closes if the StopCCRP never comes', () => {
    const p = new ControlPair({ idleTimeout: 5_000, replyTimeout: 30_000 });
    p.onPacEvent = (e, c) => e.type === 'start-request' && c.acceptControl(p.now);
    p.pns.start(0);
    p.pump();
    p.mute.pns = true;
    p.advanceTo(5_000);
    assert.equal(p.pac.state, 'wait-stop-reply');
    assert.equal(p.sentOf('pac', T.StopControlConnectionRequest).length, 1);
    p.advanceTo(35_000);
    assert.equal(p.pac.state, 'closed');
    assert.equal(p.of('pac', 'closed')[0].reason, 'no Stop-Control-Connection-Reply');
  });

  it('the PNS gives up when no SCCRP comes', () => {
    const pns = new PptpControlConnection({ role: 'pns', tunnelId: 1 }, 0);
    pns.start(100);
    assert.equal(pns.state, 'wait-ctl-reply');
    pns.handleTimeout(pns.nextTimeout()!);
    assert.equal(pns.state, 'closed');
    assert.equal(pns.nextTimeout(), undefined);
  });

  it('a call the owner never decides on gets OCRP Time-out after the reply timeout', () => {
    const pac = newPac();
    feed(pac, 0, SCCRQ);
    pac.acceptControl(0);
    const { events } = feed(pac, 1_000, OCRQ);
    assert.equal(events.filter((e) => e.type === 'call-request').length, 1);
    pac.handleTimeout(61_000);
    const out = pac.drain();
    const ocrp = out
      .flatMap((e) => (e.type === 'send' ? [decodeControlMessage(e.bytes) as PptpControlMessage] : []))
      .find((m) => m.messageType === T.OutgoingCallReply) as { resultCode: number };
    assert.equal(ocrp.resultCode, 6);
    assert.ok(out.some((e) => e.type === 'call-cleared' && e.callId === undefined));
    assert.equal(pac.state, 'established');
  });

  it('the PNS closes the control connection when its OCRQ gets no reply (RFC 2637 §3.2.1)', () => {
    const p = new ControlPair({}, { replyTimeout: 20_000 });
    p.onPacEvent = (e, c) => e.type === 'start-request' && c.acceptControl(p.now);
    p.pns.start(0);
    p.pump();
    p.pns.placeCall(1, 0);
    p.pump();
    p.advanceTo(19_999);
    assert.equal(p.pns.state, 'established');
    p.advanceTo(20_000);
    assert.equal(p.pns.state, 'closed');
    assert.match(p.of('pns', 'closed')[0].reason, /no Outgoing-Call-Reply/);
  });
});

describe('PptpControlConnection debug lines (PIX style, from the seed)', () => {
  it('prints the SCCRQ and OCRQ the way the seed shows them', () => {
    const pac = newPac(true);
    pac.receive(encodeControlMessage(SCCRQ), 0);
    pac.acceptControl(0);
    pac.receive(encodeControlMessage(OCRQ), 0);
    pac.acceptCall(0x4000, 9, 64, 0);
    const lines = pac.drain().flatMap((e) => (e.type === 'log' ? [e.message] : []));
    for (const want of [
      'Tnl 9 PPTP: cc rcv 156 bytes of data',
      'Tnl 9 PPTP: CC I 009c00011a2b3c4d0001000001000000000000010000...',
      'Tnl 9 PPTP: CC I SCCRQ',
      'Tnl 9 PPTP: protocol version 0x100',
      'Tnl 9 PPTP: framing caps 0x1',
      'Tnl 9 PPTP: bearer caps 0x1',
      'Tnl 9 PPTP: max channels 0',
      'Tnl 9 PPTP: firmware rev 0x870',
      'Tnl 9 PPTP: hostname ""',
      'Tnl 9 PPTP: vendor "Microsoft Windows NT"',
      'Tnl 9 PPTP: SCCRQ-ok -> state change wt-sccrq to estabd',
      'Tnl 9 PPTP: CC I 00a800011a2b3c4d000700004000e4f50000012c05f5...',
      'Tnl 9 PPTP: call id 0x4000',
      'Tnl 9 PPTP: serial num 58613',
      'Tnl 9 PPTP: min bps 300:0x12c',
      'Tnl 9 PPTP: max BPS 100000000:0x5f5e100',
      'Tnl 9 PPTP: bearer type 3',
      'Tnl 9 PPTP: framing type 3',
      'Tnl 9 PPTP: recv win size 64',
      'Tnl 9 PPTP: ppd 0',
      'Tnl 9 PPTP: phone num Len 0',
      'Tnl 9 PPTP: phone num ""',
      'Tnl/Cl 9/9 PPTP: vacc-ok -> state change wt-vacc to estabd',
      'Tnl 9 PPTP: CC O OCRP',
    ]) {
      assert.ok(lines.includes(want), `missing: ${want}`);
    }
    assert.ok(lines.some((l) => /^Tnl 9 PPTP: cc snddata, Len=32, data: 002000011a2b3c4d0008000000094000010000/.test(l)));
  });

  it('says nothing but errors while debug is off, and can be switched on live', () => {
    const pac = newPac(false);
    pac.receive(encodeControlMessage(SCCRQ), 0);
    pac.acceptControl(0);
    assert.ok(!pac.drain().some((e) => e.type === 'log'));
    pac.debug.events = true;
    pac.receive(encodeControlMessage(OCRQ), 0);
    pac.acceptCall(0x4000, 9, 64, 0);
    assert.ok(pac.drain().some((e) => e.type === 'log' && e.category === 'events'));
  });
});
