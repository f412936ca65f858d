/** Accounting-Request attributes (RFC 2866 §5, RFC 2869 §5.1-5.3 Gigawords and Event-Timestamp). */
import type { AccountingRecord } from '../authenticator.js';
import { AcctTerminateCause, RadiusAttr } from '../../wire/radius-codes.js';
import type { RadiusAttribute } from '../../wire/radius-packet.js';
import { integerAttribute, ipv4Attribute, octetsAttribute, textAttribute } from '../../wire/radius-values.js';
import { nasAttributes, type NasIdentity } from './access-request.js';

const TWO_32 = 1n << 32n;

function counter32(n: bigint): number {
  if (n < 0n) return 0;
  return n >= TWO_32 ? 0xffffffff : Number(n);
}

/** RFC 2869 §5.1/5.2: low 32 bits in Acct-*-Octets, the overflow count in Acct-*-Gigawords. */
function octets(attrs: RadiusAttribute[], octetsType: number, gigawordsType: number, n: bigint | undefined): void {
  if (n === undefined) return;
  const v = n < 0n ? 0n : n;
  attrs.push(integerAttribute(octetsType, Number(v % TWO_32)));
  const giga = v / TWO_32;
  if (giga > 0n) attrs.push(integerAttribute(gigawordsType, counter32(giga)));
}

export interface AccountingEvent {
  /** RFC 2866 §5.1 Acct-Status-Type. */
  statusType: number;
  /** Absent for Accounting-On/-Off, which concern the whole NAS. */
  record?: AccountingRecord;
  /** RFC 2866 §5.5 Acct-Session-Id for NAS-wide events. */
  nasSessionId?: string;
  /** Epoch seconds of the event (Event-Timestamp). */
  eventTime: number;
}

/** All attributes but Message-Authenticator; `delaySeconds` is the RFC 2866 §5.2 Acct-Delay-Time. */
export function accountingAttributes(event: AccountingEvent, nas: NasIdentity, delaySeconds: number): RadiusAttribute[] {
  const attrs: RadiusAttribute[] = [integerAttribute(RadiusAttr.AcctStatusType, event.statusType)];
  const r = event.record;
  if (r) {
    attrs.push(textAttribute(RadiusAttr.UserName, r.username));
    attrs.push(
      ...nasAttributes(nas, {
        sessionId: r.sessionId,
        callingStationId: r.callingStationId,
        calledStationId: r.calledStationId,
        nasPort: r.nasPort,
      }),
    );
    if (r.framedAddress) attrs.push(ipv4Attribute(RadiusAttr.FramedIpAddress, r.framedAddress));
    for (const c of r.classes ?? []) attrs.push(octetsAttribute(RadiusAttr.Class, c));
    if (r.sessionTime !== undefined) {
      attrs.push(integerAttribute(RadiusAttr.AcctSessionTime, Math.max(0, Math.min(0xffffffff, Math.floor(r.sessionTime)))));
    }
    octets(attrs, RadiusAttr.AcctInputOctets, RadiusAttr.AcctInputGigawords, r.inputOctets);
    octets(attrs, RadiusAttr.AcctOutputOctets, RadiusAttr.AcctOutputGigawords, r.outputOctets);
    if (r.inputPackets !== undefined) attrs.push(integerAttribute(RadiusAttr.AcctInputPackets, counter32(r.inputPackets)));
    if (r.outputPackets !== undefined) attrs.push(integerAttribute(RadiusAttr.AcctOutputPackets, counter32(r.outputPackets)));
    const cause = r.terminateCause !== undefined ? AcctTerminateCause[r.terminateCause] : undefined;
    if (cause !== undefined) attrs.push(integerAttribute(RadiusAttr.AcctTerminateCause, cause));
  } else {
    attrs.push(ipv4Attribute(RadiusAttr.NasIpAddress, nas.nasIpAddress));
    if (nas.nasIdentifier) attrs.push(textAttribute(RadiusAttr.NasIdentifier, nas.nasIdentifier));
    if (event.nasSessionId) attrs.push(textAttribute(RadiusAttr.AcctSessionId, event.nasSessionId));
  }
  attrs.push(integerAttribute(RadiusAttr.EventTimestamp, event.eventTime >>> 0));
  attrs.push(integerAttribute(RadiusAttr.AcctDelayTime, Math.max(0, Math.min(0xffffffff, Math.floor(delaySeconds)))));
  return attrs;
}
