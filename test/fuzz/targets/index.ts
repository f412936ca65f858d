/** Every fuzz target, by corpus name: decoders first, then protocol engines. */
import type { FuzzTarget } from '../harness.js';
import { pixConfig } from './config.js';
import { greChannel } from './gre-engine.js';
import { mgmtLines } from './mgmt.js';
import { mppeStateful, mppeStateless } from './mppe-engine.js';
import { pppClient, pppServer } from './ppp-engine.js';
import { pppControl, pppFrames } from './ppp-wire.js';
import { pptpPac, pptpPns } from './pptp-engine.js';
import { greHeader, pptpControl, pptpStream } from './pptp-wire.js';
import { radius } from './radius.js';
import { tacacs } from './tacacs.js';

export const DECODER_TARGETS: FuzzTarget[] = [pptpControl, pptpStream, greHeader, pppFrames, pppControl, radius, tacacs, pixConfig, mgmtLines];
export const ENGINE_TARGETS: FuzzTarget[] = [pptpPac, pptpPns, greChannel, pppServer, pppClient, mppeStateless, mppeStateful];
export const ALL_TARGETS: FuzzTarget[] = [...DECODER_TARGETS, ...ENGINE_TARGETS];
