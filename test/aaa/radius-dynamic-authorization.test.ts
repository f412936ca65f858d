/**
 * DynamicAuthorizationServer (RFC 5176) driven by FreeRADIUS's radclient: Disconnect-Request and
 * CoA-Request by session id, user name and address; ACK, NAK with Error-Cause; and, with our own
 * codec, wrong secrets, unknown clients and retransmissions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { DynamicAuthorizationServer, type SessionSelector } from '../../src/aaa/radius/index.js';
import { sealRequest, verifyResponseAuthenticator } from '../../src/wire/radius-authenticator.js';
import { RadiusAttr, RadiusCode } from '../../src/wire/radius-codes.js';
import { textAttribute } from '../../src/wire/radius-values.js';
import { requireFreeradius } from '../helpers/freeradius.js';

const SECRET = 'dae-secret';
const sessions = new Map([
  ['sess-1', { user: 'alice', address: '192.168.1.5' }],
  ['sess-2', { user: 'bob', address: '192.168.1.6' }],
]);
const disconnects: SessionSelector[] = [];
const changes: { selector: SessionSelector; sessionTimeout?: number }[] = [];
let das: DynamicAuthorizationServer;

function find(selector: SessionSelector): boolean {
  for (const [id, s] of sessions) {
    if (selector.acctSessionId !== undefined && selector.acctSessionId !== id) continue;
    if (selector.userName !== undefined && selector.userName !== s.user) continue;
    if (selector.framedIpAddress !== undefined && selector.framedIpAddress !== s.address) continue;
    return true;
  }
  return false;
}

/** radclient's printout of the reply (it exits non-zero on a NAK, which is fine here). */
function radclient(kind: 'disconnect' | 'coa', attributes: string, secret = SECRET): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      'radclient',
      ['-x', '-t', '1', '-r', '1', `127.0.0.1:${das.port}`, kind, secret],
      { encoding: 'utf8' },
      (_err, stdout, stderr) => resolve(stdout + stderr),
    );
    child.stdin?.end(attributes + '\n');
  });
}

before(async () => {
  requireFreeradius();
  das = await DynamicAuthorizationServer.listen({
    port: 0,
    address: '127.0.0.1',
    clients: [{ address: '127.0.0.1', secret: SECRET }],
    nasIpAddress: '192.0.2.1',
    disconnect: async (selector) => {
      disconnects.push(selector);
      return { found: find(selector) };
    },
    changeSession: async (selector, change) => {
      changes.push({ selector, ...change });
      return { found: find(selector) };
    },
  });
});

after(() => das.close());

describe('Dynamic Authorization with radclient', () => {
  it('Disconnect-Request by Acct-Session-Id → Disconnect-ACK and the handler ran', async () => {
    const out = await radclient('disconnect', 'Acct-Session-Id = "sess-1"\nNAS-IP-Address = 192.0.2.1');
    assert.match(out, /Received Disconnect-ACK/);
    assert.deepEqual(disconnects.at(-1), { acctSessionId: 'sess-1' });
  });

  it('Disconnect-Request by User-Name and Framed-IP-Address', async () => {
    const out = await radclient('disconnect', 'User-Name = "bob"\nFramed-IP-Address = 192.168.1.6');
    assert.match(out, /Received Disconnect-ACK/);
    assert.deepEqual(disconnects.at(-1), { userName: 'bob', framedIpAddress: '192.168.1.6' });
  });

  it('unknown session → Disconnect-NAK with Error-Cause Session-Context-Not-Found (503)', async () => {
    const out = await radclient('disconnect', 'Acct-Session-Id = "nope"');
    assert.match(out, /Received Disconnect-NAK/);
    assert.match(out, /Error-Cause = Session-Context-Not-Found/);
  });

  it('another NAS-IP-Address → NAK 403 without calling the handler', async () => {
    const before = disconnects.length;
    const out = await radclient('disconnect', 'Acct-Session-Id = "sess-1"\nNAS-IP-Address = 192.0.2.99');
    assert.match(out, /Error-Cause = NAS-Identification-Mismatch/);
    assert.equal(disconnects.length, before);
  });

  it('no session identification → NAK Missing-Attribute (402)', async () => {
    const out = await radclient('disconnect', 'NAS-IP-Address = 192.0.2.1');
    assert.match(out, /Received Disconnect-NAK/);
    assert.match(out, /Error-Cause = Missing-Attribute/);
  });

  it('CoA-Request with Session-Timeout → CoA-ACK and the change handler got it', async () => {
    const out = await radclient('coa', 'Acct-Session-Id = "sess-2"\nSession-Timeout = 120');
    assert.match(out, /Received CoA-ACK/);
    assert.deepEqual(changes.at(-1), { selector: { acctSessionId: 'sess-2' }, sessionTimeout: 120 });
  });

  it('CoA-Request with an attribute it cannot apply → CoA-NAK Unsupported-Attribute (401)', async () => {
    const out = await radclient('coa', 'Acct-Session-Id = "sess-2"\nFilter-Id = "x"');
    assert.match(out, /Received CoA-NAK/);
    assert.match(out, /Error-Cause = Unsupported-Attribute/);
  });

  it('copies Proxy-State into the reply and signs it with Message-Authenticator when asked', async () => {
    const out = await radclient(
      'disconnect',
      'Acct-Session-Id = "sess-1"\nProxy-State = 0x616263\nMessage-Authenticator = 0x00',
    );
    assert.match(out, /Received Disconnect-ACK/);
    assert.match(out, /Proxy-State = 0x616263/);
    assert.match(out, /Message-Authenticator = 0x/);
  });
});

describe('Dynamic Authorization checks', () => {
  /** Sends `copies` of a datagram; waits for `expect` replies (or 150 ms when none are expected). */
  async function exchange(bytes: Uint8Array, copies = 1, expect = 0): Promise<Buffer[]> {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    for (let i = 0; i < copies; i++) s.send(bytes, das.port, '127.0.0.1');
    const deadline = Date.now() + (expect === 0 ? 150 : 3000);
    while (Date.now() < deadline && (expect === 0 || replies.length < expect)) await new Promise((r) => setTimeout(r, 10));
    s.close();
    return replies;
  }

  it('drops a request signed with the wrong secret', async () => {
    const before = das.counters.badAuthenticator;
    const bytes = sealRequest(RadiusCode.DisconnectRequest, 1, [textAttribute(RadiusAttr.AcctSessionId, 'sess-1')], Buffer.from('wrong'), false);
    assert.equal((await exchange(bytes)).length, 0);
    assert.equal(das.counters.badAuthenticator, before + 1);
  });

  it('answers a retransmission from its cache without a second handler call', async () => {
    const calls = disconnects.length;
    const bytes = sealRequest(RadiusCode.DisconnectRequest, 9, [textAttribute(RadiusAttr.AcctSessionId, 'sess-2')], Buffer.from(SECRET), true);
    const replies = await exchange(bytes, 3, 3);
    assert.equal(replies.length, 3);
    assert.ok(replies.every((r) => r.equals(replies[0])));
    assert.equal(replies[0][0], RadiusCode.DisconnectAck);
    assert.ok(verifyResponseAuthenticator(replies[0], bytes.subarray(4, 20), Buffer.from(SECRET)));
    assert.equal(disconnects.length, calls + 1);
    assert.ok(das.counters.duplicates >= 2);
  });

  it('ignores clients it does not know', async () => {
    const other = await DynamicAuthorizationServer.listen({
      port: 0,
      address: '127.0.0.1',
      clients: [{ address: '10.9.9.9', secret: SECRET }],
      disconnect: async () => ({ found: true }),
    });
    try {
      const bytes = sealRequest(RadiusCode.DisconnectRequest, 2, [textAttribute(RadiusAttr.AcctSessionId, 'x')], Buffer.from(SECRET), false);
      const s = createSocket('udp4');
      await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
      let replies = 0;
      s.on('message', () => replies++);
      s.send(bytes, other.port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 100));
      s.close();
      assert.equal(replies, 0);
      assert.equal(other.counters.unknownClient, 1);
    } finally {
      await other.close();
    }
  });
});
