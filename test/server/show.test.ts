import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showVpdn } from '../../src/server/show.js';
import type { TunnelView } from '../../src/server/view.js';

test('show vpdn prints the seed layout line by line', () => {
  const t: TunnelView = {
    tunnelId: 13,
    remoteId: 13,
    state: 'estabd',
    sinceEventSecs: 24,
    remoteAddress: '10.44.17.104',
    remotePort: 1723,
    localAddress: '172.18.124.152',
    localPort: 1723,
    peerHostName: '',
    peerVendor: 'Microsoft Windows NT',
    traffic: { packetsIn: 35, packetsOut: 12, bytesIn: 3469, bytesOut: 394 },
    calls: [
      {
        callId: 13,
        peerCallId: 32768,
        tunnelId: 13,
        username: 'cisco',
        state: 'estabd',
        sinceEventSecs: 24,
        interfaceName: 'outside',
        pppInterfaceId: 1,
        peerAddress: '10.44.17.104',
        clientAddress: '192.168.1.1',
        authType: 'mschap-v1',
        mppeBits: 40,
        mppeStateless: false,
        upSince: 0,
        traffic: { packetsIn: 35, packetsOut: 12, bytesIn: 3469, bytesOut: 394 },
        gre: { seq: 13, ack: 34, ackReceived: 12, peerRws: 64, outOfOrder: 0 },
        dropped: { spoofed: 0, notUp: 0, mppe: 0 },
      },
    ],
  };
  const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');
  // The seed's text, with its line folding undone (whitespace is not significant in the seed).
  const seed =
    'PPTP Tunnel and Session Information (Total tunnels=1 sessions=1) Tunnel id 13, remote id is 13, 1 active sessions ' +
    'Tunnel state is estabd, time since event change 24 secs remote Internet Address 10.44.17.104, port 1723 ' +
    'Local Internet Address 172.18.124.152, port 1723 12 packets sent, 35 received, 394 bytes sent, 3469 received ' +
    'Call id 13 is up on tunnel id 13 Remote Internet Address is 10.44.17.104 Session username is cisco, state is estabd ' +
    'Time since event change 24 secs, interface outside Remote call id is 32768 PPP interface id is 1 ' +
    '12 packets sent, 35 received, 394 bytes sent, 3469 received Seq 13, Ack 34, Ack_Rcvd 12, peer RWS 64 0 out of order packets';
  assert.equal(words(showVpdn([t])), seed);
});
