/** SPEC §5: the behaviours the seed document spells out, client engine against server engine. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import type { AuthType, Authenticator } from '../../src/aaa/authenticator.js';
import type { ClientMppePolicy, PppOutput, PppSessionOptions, ServerMppePolicy } from '../../src/ppp/session.js';
import { decodePppFrame } from '../../src/wire/ppp.js';
import { isDecodeError } from '../../src/wire/errors.js';
import { Pair, editedAuthenticator } from './link.js';

const MSCHAP: AuthType[] = ['mschap-v2', 'mschap-v1'];

function pair(o: {
  serverAuth: AuthType[];
  serverMppe?: ServerMppePolicy;
  clientAuth: AuthType[];
  clientMppe?: ClientMppePolicy;
  username?: string;
  password?: string;
  users?: { username: string; password: string }[];
  authenticator?: Authenticator;
  server?: Partial<PppSessionOptions>;
}): Pair {
  const users = o.users ?? [{ username: 'cisco', password: 'cisco' }];
  return new Pair(
    { authTypes: o.serverAuth, serverMppe: o.serverMppe, localAddress: '10.1.1.1', ...o.server },
    { authTypes: o.clientAuth, username: o.username ?? 'cisco', password: o.password ?? 'cisco', clientMppe: o.clientMppe },
    o.authenticator ?? new LocalAuthenticator(users),
    { seed: 42, delayMs: 5, clearCallMs: 50 },
  );
}

function downOf(events: PppOutput[]): Extract<PppOutput, { type: 'down' }> {
  const d = events.find((e) => e.type === 'down');
  assert.ok(d && d.type === 'down', `no down in ${JSON.stringify(events)}`);
  return d;
}

function upOf(events: PppOutput[]): Extract<PppOutput, { type: 'up' }> {
  const u = events.find((e) => e.type === 'up');
  assert.ok(u && u.type === 'up', `no up in ${JSON.stringify(events)}`);
  return u;
}

function logs(events: PppOutput[]): string[] {
  return events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
}

const REQUIRED_CLIENT: ClientMppePolicy = { mode: 'required', allow40: true, allow128: true, stateless: 'prefer' };
const NO_ENCRYPTION: ClientMppePolicy = { mode: 'none', allow40: false, allow128: false, stateless: 'prefer' };

test('seed 5.1: a PC with MS-CHAP only and a server with PAP only never agree: client Error 732, the server logs why', async () => {
  const p = pair({ serverAuth: ['pap'], clientAuth: MSCHAP });
  p.start();
  await p.run();
  const client = downOf(p.events.client);
  assert.equal(client.cause, 'no-common-auth');
  assert.equal(client.windowsError, 732);
  const server = downOf(p.events.server);
  assert.equal(server.cause, 'no-common-auth');
  assert.match(server.reason, /peer wants MS-CHAP v2, we offer PAP/);
  assert.ok(logs(p.events.server).some((m) => /no common authentication protocol/.test(m)));
  assert.equal(p.events.server.some((e) => e.type === 'authenticate'), false, 'never reached the aaa server');
});

test('seed 5.1 (fallback): the server offers its types in order and follows the client Nak', async () => {
  const p = pair({ serverAuth: ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap'], clientAuth: ['mschap-v1'] });
  p.start();
  await p.run();
  assert.equal(upOf(p.events.server).info.authType, 'mschap-v1');
  assert.equal(upOf(p.events.client).info.authType, 'mschap-v1');
});

test('seed 5.2: the PC requires encryption and the server has no mppe line: CCP rejected, client Error 742', async () => {
  const p = pair({ serverAuth: MSCHAP, clientAuth: MSCHAP, clientMppe: REQUIRED_CLIENT });
  p.start();
  await p.run();
  const client = downOf(p.events.client);
  assert.equal(client.cause, 'ccp-rejected');
  assert.equal(client.windowsError, 742);
  assert.ok(p.server.counters.protocolRejects >= 1, 'the server Protocol-Rejected CCP');
  assert.equal(downOf(p.events.server).cause, 'peer-terminated');
  assert.equal(p.events.server.some((e) => e.type === 'up'), false);
});

test('seed 5.3: server mppe 40 required and a PC without encryption: the session is torn down, mppe required but not active', async () => {
  const p = pair({ serverAuth: MSCHAP, serverMppe: { mode: 'required', bits: 40 }, clientAuth: MSCHAP, clientMppe: NO_ENCRYPTION });
  p.start();
  await p.run();
  const server = downOf(p.events.server);
  assert.equal(server.cause, 'mppe-required');
  assert.match(server.reason, /mppe required but not active/);
  assert.equal(p.events.server.some((e) => e.type === 'up'), false);
  assert.equal(downOf(p.events.client).cause, 'peer-terminated');
  assert.equal(downOf(p.events.client).windowsError, undefined, 'the PC shows no message (seed)');
});

test('seed 5.3 (data): a plain IP packet (protocol 21) on a server that requires MPPE tears the session down', async () => {
  const p = pair({ serverAuth: MSCHAP, serverMppe: { mode: 'required', bits: 40 }, clientAuth: MSCHAP, clientMppe: NO_ENCRYPTION });
  // A client that ignores CCP altogether (no Protocol-Reject): only its IP traffic tells.
  p.filter = (from, frame) => {
    const f = decodePppFrame(frame);
    return isDecodeError(f) || !(from === 'client' && f.protocol === 0xc021 && f.info[0] === 8);
  };
  p.start();
  await p.run(2_000);
  assert.equal(upOf(p.events.client).info.mppe, null);
  assert.ok(p.sendIp('client', new Uint8Array([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 192, 168, 1, 1, 10, 1, 1, 1])));
  await p.run();
  const server = downOf(p.events.server);
  assert.equal(server.cause, 'mppe-required');
  assert.equal(server.reason, 'protocol: 21, reason: mppe required but not active');
});

test('seed 5.4: the aaa server returns no MPPE keys while encryption is required: authentication fails (403110), client Error 691', async () => {
  const noKeys = editedAuthenticator(new LocalAuthenticator([{ username: 'cisco', password: 'cisco' }]), (r) => ({ ...r, mppeKeys: undefined }));
  const p = pair({ serverAuth: MSCHAP, serverMppe: { mode: 'required', bits: 40 }, clientAuth: MSCHAP, authenticator: noKeys });
  p.start();
  await p.run();
  const server = downOf(p.events.server);
  assert.equal(server.cause, 'mppe-keys-missing');
  assert.match(server.reason, /user: cisco missing MPPE key from aaa server/);
  const client = downOf(p.events.client);
  assert.equal(client.cause, 'auth-failed');
  assert.equal(client.windowsError, 691);
  assert.ok(logs(p.events.client).some((m) => /MS-CHAP Failure, error 691/.test(m)), 'the client saw an MS-CHAP Failure');
});

test('seed 5.4 (without required): no MPPE keys from the aaa server: up unencrypted with a log line saying why', async () => {
  const noKeys = editedAuthenticator(new LocalAuthenticator([{ username: 'cisco', password: 'cisco' }]), (r) => ({ ...r, mppeKeys: undefined }));
  const p = pair({ serverAuth: MSCHAP, serverMppe: { mode: 'auto', bits: 40 }, clientAuth: MSCHAP, authenticator: noKeys });
  p.start();
  await p.run();
  assert.equal(upOf(p.events.server).info.mppe, null);
  assert.equal(upOf(p.events.client).info.mppe, null);
  assert.ok(logs(p.events.server).some((m) => /the aaa server returned no MPPE keys; continuing without encryption/.test(m)));
});

for (const auth of MSCHAP) {
  test(`seed 5.5: Windows sends DOMAIN\\cisco (${auth}); with only cisco configured the login fails`, async () => {
    const p = pair({ serverAuth: [auth], clientAuth: [auth], username: 'DOMAIN\\cisco' });
    p.start();
    await p.run();
    const asked = p.events.server.find((e) => e.type === 'authenticate');
    assert.ok(asked && asked.type === 'authenticate');
    assert.equal(asked.request.username, 'DOMAIN\\cisco', 'the name goes to the aaa server as the PC sent it');
    assert.equal(downOf(p.events.client).windowsError, 691);
    assert.equal(downOf(p.events.server).cause, 'auth-failed');
  });

  test(`seed 5.5: adding vpdn username DOMAIN\\cisco makes it work (${auth})`, async () => {
    const p = pair({ serverAuth: [auth], clientAuth: [auth], username: 'DOMAIN\\cisco', users: [{ username: 'cisco', password: 'cisco' }, { username: 'DOMAIN\\cisco', password: 'cisco' }] });
    p.start();
    await p.run();
    assert.equal(upOf(p.events.server).info.username, 'DOMAIN\\cisco');
    assert.equal(upOf(p.events.client).info.authType, auth);
  });
}

test('seed 5.5 (beyond): with the domain stripped by the back end, cisco matches DOMAIN\\cisco', async () => {
  const strip = new LocalAuthenticator([{ username: 'cisco', password: 'cisco' }], { stripDomain: true });
  const p = pair({ serverAuth: ['mschap-v2'], serverMppe: { mode: 'auto', bits: 128 }, clientAuth: ['mschap-v2'], username: 'DOMAIN\\cisco', authenticator: strip });
  p.start();
  await p.run();
  assert.ok(upOf(p.events.client).info.mppe, 'MPPE keys match on both ends');
});
