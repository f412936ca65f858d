/**
 * RadiusAuthenticator against a real FreeRADIUS 3.2: PAP, CHAP, MS-CHAP v1 and v2, MPPE keys
 * (RFC 2548 → RFC 3079), reply attributes, Message-Authenticator policy, wrong secret, forgeries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { RadiusAuthenticator, type RadiusHostOptions } from '../../src/aaa/radius/index.js';
import { mschapV1MasterKeys } from '../../src/ppp/mppe-keys.js';
import {
  generateAuthenticatorResponse,
  hashNtPasswordHash,
  ntPasswordHash,
} from '../../src/ppp/mschap.js';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { RadiusCode } from '../../src/wire/radius-codes.js';
import {
  chapLogin,
  FreeRadius,
  mschapV1Login,
  mschapV2Login,
  papLogin,
} from '../helpers/freeradius.js';

let server: FreeRadius;
const clients: RadiusAuthenticator[] = [];

function client(host: Partial<RadiusHostOptions> = {}): RadiusAuthenticator {
  const c = new RadiusAuthenticator({
    hosts: [{ address: '127.0.0.1', authPort: server.ports.authStrict, secret: server.secret, timeoutMs: 1000, retries: 1, ...host }],
    nasIpAddress: '192.0.2.1',
    nasIdentifier: 'vpdn-test',
  });
  clients.push(c);
  return c;
}

before(async () => {
  server = await FreeRadius.start();
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.stop();
});

describe('RADIUS PAP and CHAP', () => {
  it('accepts PAP with the right password and returns Reply-Message, no MPPE keys', async () => {
    const r = await client().authenticate(papLogin('alice', 'alicepass'));
    assert.equal(r.accepted, true, r.reason);
    assert.equal(r.replyMessage, 'Welcome, alice');
    assert.equal(r.server, 'RADIUS 127.0.0.1');
    assert.equal(r.mppeKeys, undefined);
  });

  it('rejects PAP with a wrong password', async () => {
    const r = await client().authenticate(papLogin('alice', 'wrong'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /rejected by RADIUS 127\.0\.0\.1/);
  });

  it('rejects an unknown user with the server\'s Reply-Message', async () => {
    const r = await client().authenticate(papLogin('mallory', 'x'));
    assert.equal(r.accepted, false);
    assert.equal(r.replyMessage, 'Unknown user');
  });

  it('accepts and rejects CHAP', async () => {
    const c = client();
    assert.equal((await c.authenticate(chapLogin('alice', 'alicepass', 7))).accepted, true);
    assert.equal((await c.authenticate(chapLogin('alice', 'alicepas', 8))).accepted, false);
  });

  it('returns Framed-IP-Address, Session-Timeout, Idle-Timeout and Class', async () => {
    const r = await client().authenticate(chapLogin('bob', 'bobpass'));
    assert.equal(r.accepted, true, r.reason);
    assert.equal(r.framedAddress, '192.168.7.42');
    assert.equal(r.sessionTimeout, 3600);
    assert.equal(r.idleTimeout, 600);
    assert.deepEqual(r.classes?.map((c) => Buffer.from(c).toString()), ['vidpn-class']);
  });
});

describe('RADIUS MS-CHAP', () => {
  it('v1: accepts, and MS-CHAP-MPPE-Keys give the RFC 3079 §2.4 start key', async () => {
    const login = mschapV1Login('bob', 'bobpass', 3);
    const r = await client().authenticate(login);
    assert.equal(r.accepted, true, r.reason);
    const expected = mschapV1MasterKeys(hashNtPasswordHash(ntPasswordHash('bobpass')), login.challenge);
    assert.equal(toHex(r.mppeKeys!.sendKey), toHex(expected.sendKey));
    assert.equal(toHex(r.mppeKeys!.recvKey), toHex(expected.recvKey));
    assert.deepEqual(r.mppePolicy, { required: false, allow40: true, allow128: true });
    assert.equal(r.framedAddress, '192.168.7.42');
  });

  it('v1: rejects a wrong password with MS-CHAP error 691', async () => {
    const r = await client().authenticate(mschapV1Login('bob', 'nope'));
    assert.equal(r.accepted, false);
    assert.equal(r.mschapError, 691);
  });

  it('v2: RFC 2759 §9.2 / RFC 3079 §3.5 sample gives their S= and server send/receive keys', async () => {
    const login = mschapV2Login(
      'User',
      'clientPass',
      1,
      fromHex('5B5D7C7D7B3F2F3E3C2C602132262628'),
      fromHex('21402324255E262A28295F2B3A337C7E'),
    );
    assert.equal(toHex(login.ntResponse), '82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df');
    const r = await client().authenticate(login);
    assert.equal(r.accepted, true, r.reason);
    assert.equal(r.authenticatorResponse, 'S=407A5589115FD0D6209F510FE9C04566932CDA56');
    assert.equal(toHex(r.mppeKeys!.sendKey), '8b7cdc149b993a1ba118cb153f56dccb');
    assert.equal(toHex(r.mppeKeys!.recvKey), 'd5f0e9521e3ea9589645e86051c82226');
  });

  it('v2: S= for a random challenge matches the client-side computation', async () => {
    const login = mschapV2Login('alice', 'alicepass', 5);
    const r = await client().authenticate(login);
    assert.equal(r.accepted, true, r.reason);
    const expected = generateAuthenticatorResponse(
      ntPasswordHash('alicepass'),
      login.ntResponse,
      login.peerChallenge,
      login.authenticatorChallenge,
      'alice',
    );
    assert.equal(r.authenticatorResponse, expected);
    assert.equal(r.mppeKeys?.sendKey.length, 16);
  });

  it('v2: DOMAIN\\user works with the domain stripped from the challenge hash', async () => {
    const login = mschapV2Login('EXAMPLE\\carol', 'carolpass');
    const r = await client().authenticate(login);
    assert.equal(r.accepted, true, r.reason);
    const expected = generateAuthenticatorResponse(
      ntPasswordHash('carolpass'),
      login.ntResponse,
      login.peerChallenge,
      login.authenticatorChallenge,
      'EXAMPLE\\carol',
    );
    assert.equal(r.authenticatorResponse, expected);
  });

  it('v2: rejects a wrong password with the server\'s MS-CHAP-Error code', async () => {
    const r = await client().authenticate(mschapV2Login('alice', 'wrong'));
    assert.equal(r.accepted, false);
    assert.equal(r.mschapError, 691);
  });

  it('v2: a user whose reply carries no MPPE keys is accepted without mppeKeys', async () => {
    const r = await client().authenticate(mschapV2Login('nokeys-dave', 'davepass'));
    assert.equal(r.accepted, true, r.reason);
    assert.ok(r.authenticatorResponse);
    assert.equal(r.mppeKeys, undefined);
    assert.equal(r.mppePolicy, undefined);
  });
});

describe('RADIUS Message-Authenticator policy and forgeries', () => {
  it('drops replies without Message-Authenticator by default (lax server → timeout)', async () => {
    const c = client({ authPort: server.ports.authLax, timeoutMs: 150, retries: 0 });
    const r = await c.authenticate(papLogin('alice', 'alicepass'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /timeout.*without Message-Authenticator/);
    assert.equal(c.counters.missingMessageAuthenticator, 1);
  });

  it('accepts them from a host configured for old servers', async () => {
    const c = client({ authPort: server.ports.authLax, requireMessageAuthenticator: false });
    const r = await c.authenticate(mschapV2Login('User', 'clientPass'));
    assert.equal(r.accepted, true, r.reason);
  });

  it('reports a wrong shared secret as a timeout', async () => {
    const c = client({ secret: 'not-the-secret', timeoutMs: 150, retries: 1 });
    const started = Date.now();
    const r = await c.authenticate(papLogin('alice', 'alicepass'));
    assert.equal(r.accepted, false);
    assert.match(r.reason, /^RADIUS timeout: no valid reply from 127\.0\.0\.1:\d+ after 2 tries/);
    assert.ok(Date.now() - started >= 290);
    assert.equal(c.counters.timeouts, 2);
    assert.equal(c.counters.responses, 0);
  });

  it('ignores a forged Access-Accept and takes the genuine Access-Reject', async () => {
    const proxy = await ForgingProxy.start(server.ports.authStrict);
    try {
      const c = client({ authPort: proxy.port });
      const r = await c.authenticate(papLogin('alice', 'wrong-password'));
      assert.equal(r.accepted, false, 'the forged accept must not count');
      assert.match(r.reason, /rejected/);
      assert.equal(c.counters.badAuthenticator, 1);
      assert.equal(c.counters.stray, 1, 'a reply for an Identifier not in use is stray');
      assert.equal(proxy.forged, 2);
    } finally {
      proxy.close();
    }
  });
});

/**
 * Sits between the client and FreeRADIUS. For each request it first sends two forgeries (an
 * Access-Accept with a made-up authenticator, and one for another Identifier), then relays the
 * request to FreeRADIUS and the genuine reply back.
 */
class ForgingProxy {
  forged = 0;
  private constructor(
    private readonly front: Socket,
    private readonly back: Socket,
    upstreamPort: number,
  ) {
    let client: { address: string; port: number } | undefined;
    front.on('message', (msg, rinfo) => {
      client = { address: rinfo.address, port: rinfo.port };
      const forged = Buffer.from([RadiusCode.AccessAccept, msg[1], 0, 20, ...new Uint8Array(16).fill(0x42)]);
      front.send(forged, rinfo.port, rinfo.address);
      const otherId = Buffer.from(forged);
      otherId[1] = (msg[1] + 128) & 255;
      front.send(otherId, rinfo.port, rinfo.address);
      this.forged += 2;
      back.send(msg, upstreamPort, '127.0.0.1');
    });
    back.on('message', (msg) => {
      if (client) front.send(msg, client.port, client.address);
    });
  }

  static async start(upstreamPort: number): Promise<ForgingProxy> {
    const bind = async (): Promise<Socket> => {
      const s = createSocket('udp4');
      await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
      return s;
    };
    return new ForgingProxy(await bind(), await bind(), upstreamPort);
  }

  get port(): number {
    return this.front.address().port;
  }

  close(): void {
    this.front.close();
    this.back.close();
  }
}
