/**
 * Cross-check with Wireshark: what our PPTP and GRE codecs (and the engines driving them) put on the
 * wire is written to a pcap and dissected by tshark; nothing may be malformed or draw an expert
 * warning, and every field tshark reads must equal ours.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GreChannel } from '../../src/pptp/gre-channel.js';
import { fromHex } from '../../src/wire/bytes.js';
import { decodeGreHeader, type GreHeader } from '../../src/wire/gre.js';
import { decodeControlMessage, encodeControlMessage, type PptpControlMessage } from '../../src/wire/pptp.js';
import { IP_PROTOCOL_GRE, TcpConversation, ipv4Packet, writePcap } from '../helpers/pcap.js';
import { fixture } from '../helpers/paths.js';
import { dissect, expertProblems, fieldValue, requireTshark, type DissectedPacket } from '../helpers/tshark.js';
import { ControlPair } from '../pptp/control-pair.js';

const CHECKSUMS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];
const CLIENT = '10.44.17.104';
const SERVER = '172.18.124.152';

/** Our field name → tshark's (packet-pptp.c hf names). */
const FIELD: Record<string, string> = {
  protocolVersion: 'pptp.protocol_version',
  framingCapabilities: 'pptp.framing_capabilities',
  bearerCapabilities: 'pptp.bearer_capabilities',
  maximumChannels: 'pptp.maximum_channels',
  firmwareRevision: 'pptp.firmware_revision',
  hostName: 'pptp.host_name',
  vendorString: 'pptp.vendor_name',
  errorCode: 'pptp.error',
  reason: 'pptp.reason',
  identifier: 'pptp.identifier',
  callId: 'pptp.call_id',
  callSerialNumber: 'pptp.call_serial_number',
  minimumBps: 'pptp.minimum_bps',
  maximumBps: 'pptp.maximum_bps',
  bearerType: 'pptp.bearer_type',
  callBearerType: 'pptp.bearer_type',
  framingType: 'pptp.framing_type',
  packetRecvWindowSize: 'pptp.packet_receive_window_size',
  packetProcessingDelay: 'pptp.packet_processing_delay',
  packetTransmitDelay: 'pptp.packet_processing_delay',
  phoneNumberLength: 'pptp.phone_number_length',
  phoneNumber: 'pptp.phone_number',
  subaddress: 'pptp.subaddress',
  peerCallId: 'pptp.peer_call_id',
  causeCode: 'pptp.cause',
  connectSpeed: 'pptp.connect_speed',
  physicalChannelId: 'pptp.physical_channel_id',
  dialedNumberLength: 'pptp.dialed_number_length',
  dialingNumberLength: 'pptp.dialing_number_length',
  dialedNumber: 'pptp.dialed_number',
  dialingNumber: 'pptp.dialing_number',
  callStatistics: 'pptp.call_Statistics',
  crcErrors: 'pptp.crc_errors',
  framingErrors: 'pptp.framing_errors',
  hardwareOverruns: 'pptp.hardware_overruns',
  bufferOverruns: 'pptp.buffer_overruns',
  timeoutErrors: 'pptp.timeout_errors',
  alignmentErrors: 'pptp.alignment_errors',
  sendAccm: 'pptp.send_accm',
  receiveAccm: 'pptp.receive_accm',
};
/** The Result Code field has a different name in each reply. */
const RESULT_FIELD: Record<number, string> = {
  2: 'pptp.control_result', 4: 'pptp.stop_result', 6: 'pptp.echo_result', 8: 'pptp.out_result',
  10: 'pptp.in_result', 13: 'pptp.disc_result',
};

function assertClean(p: DissectedPacket): void {
  assert.deepEqual(expertProblems(p), [], `frame ${p.number} (${p.protocols.join(':')})`);
}

function assertPptpFields(p: DissectedPacket, m: PptpControlMessage): void {
  assert.ok(p.protocols.includes('pptp'), `frame ${p.number} is not PPTP: ${p.protocols.join(':')}`);
  assert.equal(Number(fieldValue(p, 'pptp.control_message_type')), m.messageType);
  assert.equal(Number(fieldValue(p, 'pptp.length')), encodeControlMessage(m).length);
  assert.equal(Number(fieldValue(p, 'pptp.magic_cookie')), 0x1a2b3c4d);
  for (const [name, value] of Object.entries(m)) {
    if (name === 'messageType') continue;
    const tsharkName = name === 'resultCode' ? RESULT_FIELD[m.messageType] : FIELD[name];
    assert.ok(tsharkName, `no tshark field for ${name}`);
    const got = fieldValue(p, tsharkName);
    assert.ok(got !== undefined, `frame ${p.number}: tshark shows no ${tsharkName}`);
    assert.equal(typeof value === 'string' ? got : Number(got), value, `${name} (${tsharkName})`);
  }
}

describe('tshark dissects what we send', () => {
  let dir: string;
  before(() => {
    requireTshark();
    dir = mkdtempSync(join(tmpdir(), 'vpdn-tshark-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('all 15 control message types: no malformed or expert problems, every field equal', () => {
    const vectors = JSON.parse(readFileSync(fixture('pptp', 'scapy-vectors.json'), 'utf8')) as {
      control: { message: PptpControlMessage }[];
    };
    const tcp = new TcpConversation(CLIENT, 1032, SERVER, 1723);
    const frames = new Map<number, PptpControlMessage>();
    for (const { message } of vectors.control) {
      tcp.send(message.messageType % 2 === 1 ? 0 : 1, encodeControlMessage(message));
      frames.set(tcp.all.length, message);
    }
    const file = join(dir, 'control.pcap');
    writePcap(file, tcp.all);
    const packets = dissect(file, CHECKSUMS);
    assert.equal(packets.length, tcp.all.length);
    packets.forEach(assertClean);
    assert.equal(frames.size, 15);
    for (const [frame, m] of frames) assertPptpFields(packets[frame - 1], m);
  });

  it('a whole PAC↔PNS session driven by the engines (setup, echo, SLI, clear, stop) dissects cleanly', () => {
    const p = ControlPair.connected({ hostName: 'pix', vendorString: 'vpdn' });
    p.advanceTo(60_000);
    p.pns.setLinkInfo(0x4000, 0, 0xffffffff, p.now);
    p.pump();
    p.pns.clearCall(0x4000, 'done', p.now);
    p.pump();
    p.pns.stop('done', p.now);
    p.pump();
    // Interleave the two directions roughly as they happened: each side's list is in order, and
    // every PNS message but Echo-Reply and Set-Link-Info drew one PAC message in answer.
    const order: [0 | 1, PptpControlMessage][] = [];
    const pac = [...p.sent.pac];
    for (const m of p.sent.pns) {
      order.push([0, m]);
      if (m.messageType !== 6 && m.messageType !== 15 && pac.length) order.push([1, pac.shift()!]);
    }
    for (const m of pac) order.push([1, m]);
    const tcp = new TcpConversation(CLIENT, 1033, SERVER, 1723);
    const frames: [number, PptpControlMessage][] = [];
    for (const [side, m] of order) {
      tcp.send(side, encodeControlMessage(m));
      frames.push([tcp.all.length, m]);
    }
    const file = join(dir, 'session.pcap');
    writePcap(file, tcp.all);
    const packets = dissect(file, CHECKSUMS);
    packets.forEach(assertClean);
    for (const [frame, m] of frames) assertPptpFields(packets[frame - 1], m);
    const types = new Set<number>(frames.map(([, m]) => m.messageType));
    for (const t of [1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15]) assert.ok(types.has(t), `type ${t} in the session`);
  });

  it('GRE data with seq+ack, seq only and ack-only, and PPP inside (LCP options, CHAP without ff03)', () => {
    const pac = new GreChannel({ peerCallId: 0x4000, peerReceiveWindow: 64 });
    const pns = new GreChannel({ peerCallId: 9, peerReceiveWindow: 64, firstSequenceNumber: 0 });
    // Windows' first LCP Configure-Request: MRU 1400, magic, PFC, ACFC, Callback (CBCP).
    const windowsConfReq = fromHex('ff03c0210101001501040578050622334455070208020d0306');
    // The seed's PIX LCP Configure-Request (auth MS-CHAPv2, magic, PFC, ACFC) and CHAP Challenge after ACFC.
    const pixConfReq = fromHex('ff03c021010100130305c2238005065a899b2307020802');
    const chapNoAcfc = fromHex('c2230101000d08d36602863630eca8');
    const seqOnly = pns.encapsulate(windowsConfReq, 0)!;
    pac.receive(decodeGreHeader(seqOnly) as GreHeader, seqOnly, 0);
    const seqAck = pac.encapsulate(pixConfReq, 1)!;
    const chap = pac.encapsulate(chapNoAcfc, 2)!;
    pns.receive(decodeGreHeader(seqAck) as GreHeader, seqAck, 3);
    const ackOnly = pns.pollAck(1000)!;
    const grePackets = [seqOnly, seqAck, chap, ackOnly];
    const file = join(dir, 'gre.pcap');
    writePcap(file, grePackets.map((g, i) => (i === 0 || i === 3 ? ipv4Packet(CLIENT, SERVER, IP_PROTOCOL_GRE, g) : ipv4Packet(SERVER, CLIENT, IP_PROTOCOL_GRE, g))));
    const packets = dissect(file, CHECKSUMS);
    packets.forEach(assertClean);
    packets.forEach((p, i) => {
      const h = decodeGreHeader(grePackets[i]) as GreHeader;
      assert.equal(Number(fieldValue(p, 'gre.proto')), 0x880b);
      assert.equal(Number(fieldValue(p, 'gre.flags.version')), 1);
      assert.equal(Number(fieldValue(p, 'gre.key.call_id')), h.callId);
      assert.equal(Number(fieldValue(p, 'gre.key.payload_length')), h.payloadLength);
      assert.equal(fieldValue(p, 'gre.sequence_number'), h.seq?.toString());
      assert.equal(fieldValue(p, 'gre.ack_number'), h.ack?.toString());
    });
    assert.deepEqual([fieldValue(packets[0], 'gre.sequence_number'), fieldValue(packets[0], 'gre.ack_number')], ['0', undefined]);
    assert.deepEqual([fieldValue(packets[1], 'gre.sequence_number'), fieldValue(packets[1], 'gre.ack_number')], ['1', '0']);
    assert.deepEqual([fieldValue(packets[3], 'gre.sequence_number'), fieldValue(packets[3], 'gre.ack_number')], [undefined, '1']);
    assert.equal(grePackets[3].length, 12);

    assert.ok(packets[0].protocols.includes('lcp'));
    assert.equal(Number(fieldValue(packets[0], 'ppp.code')), 1);
    assert.equal(Number(fieldValue(packets[0], 'lcp.opt.mru')), 1400);
    assert.equal(Number(fieldValue(packets[0], 'lcp.opt.magic_number')), 0x22334455);
    assert.ok(fieldValue(packets[0], 'lcp.opt.field_compress') !== undefined);
    assert.ok(fieldValue(packets[0], 'lcp.opt.addr_field_compress') !== undefined);
    assert.equal(Number(fieldValue(packets[0], 'lcp.opt.operation')), 6);
    assert.equal(Number(fieldValue(packets[1], 'lcp.opt.auth_protocol')), 0xc223);
    assert.equal(Number(fieldValue(packets[1], 'lcp.opt.algorithm')), 0x80);
    assert.ok(packets[2].protocols.includes('chap'), packets[2].protocols.join(':'));
  });

  it('rejects nothing tshark accepts: the engine can read back every control frame it wrote', () => {
    const p = ControlPair.connected();
    for (const m of [...p.sent.pac, ...p.sent.pns]) assert.deepEqual(decodeControlMessage(encodeControlMessage(m)), m);
  });
});
