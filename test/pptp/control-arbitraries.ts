/** fast-check generators for PPTP control messages (shared by the codec and stream tests). */
import fc from 'fast-check';
import type { PptpControlMessage } from '../../src/wire/pptp.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Latin-1 text without NUL that fits a `size`-octet field. */
const text = (size: number) =>
  fc.array(fc.integer({ min: 1, max: 0xff }), { maxLength: size }).map((codes) => String.fromCharCode(...codes));

export const arbitraryControlMessage: fc.Arbitrary<PptpControlMessage> = fc.oneof(
  fc.record({
    messageType: fc.constant(1 as const), protocolVersion: u16, framingCapabilities: u32, bearerCapabilities: u32,
    maximumChannels: u16, firmwareRevision: u16, hostName: text(64), vendorString: text(64),
  }),
  fc.record({
    messageType: fc.constant(2 as const), protocolVersion: u16, resultCode: u8, errorCode: u8,
    framingCapabilities: u32, bearerCapabilities: u32, maximumChannels: u16, firmwareRevision: u16,
    hostName: text(64), vendorString: text(64),
  }),
  fc.record({ messageType: fc.constant(3 as const), reason: u8 }),
  fc.record({ messageType: fc.constant(4 as const), resultCode: u8, errorCode: u8 }),
  fc.record({ messageType: fc.constant(5 as const), identifier: u32 }),
  fc.record({ messageType: fc.constant(6 as const), identifier: u32, resultCode: u8, errorCode: u8 }),
  fc.record({
    messageType: fc.constant(7 as const), callId: u16, callSerialNumber: u16, minimumBps: u32, maximumBps: u32,
    bearerType: u32, framingType: u32, packetRecvWindowSize: u16, packetProcessingDelay: u16,
    phoneNumberLength: u16, phoneNumber: text(64), subaddress: text(64),
  }),
  fc.record({
    messageType: fc.constant(8 as const), callId: u16, peerCallId: u16, resultCode: u8, errorCode: u8,
    causeCode: u16, connectSpeed: u32, packetRecvWindowSize: u16, packetProcessingDelay: u16, physicalChannelId: u32,
  }),
  fc.record({
    messageType: fc.constant(9 as const), callId: u16, callSerialNumber: u16, callBearerType: u32,
    physicalChannelId: u32, dialedNumberLength: u16, dialingNumberLength: u16, dialedNumber: text(64),
    dialingNumber: text(64), subaddress: text(64),
  }),
  fc.record({
    messageType: fc.constant(10 as const), callId: u16, peerCallId: u16, resultCode: u8, errorCode: u8,
    packetRecvWindowSize: u16, packetTransmitDelay: u16,
  }),
  fc.record({
    messageType: fc.constant(11 as const), peerCallId: u16, connectSpeed: u32, packetRecvWindowSize: u16,
    packetTransmitDelay: u16, framingType: u32,
  }),
  fc.record({ messageType: fc.constant(12 as const), callId: u16 }),
  fc.record({
    messageType: fc.constant(13 as const), callId: u16, resultCode: u8, errorCode: u8, causeCode: u16,
    callStatistics: text(128),
  }),
  fc.record({
    messageType: fc.constant(14 as const), peerCallId: u16, crcErrors: u32, framingErrors: u32,
    hardwareOverruns: u32, bufferOverruns: u32, timeoutErrors: u32, alignmentErrors: u32,
  }),
  fc.record({ messageType: fc.constant(15 as const), peerCallId: u16, sendAccm: u32, receiveAccm: u32 }),
);
