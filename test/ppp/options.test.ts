/** Each protocol's option logic on its own: what it asks for, how it judges, how it follows Naks and Rejects. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import { CcpOptions } from '../../src/ppp/ccp.js';
import { IpcpOptions } from '../../src/ppp/ipcp.js';
import { LcpOptions } from '../../src/ppp/lcp-options.js';
import { fromHex, toHex } from '../../src/wire/bytes.js';
import { ControlCode as C } from '../../src/wire/ppp-control.js';
import { Pair, Rng } from './link.js';

const rng = new Rng(5);
const random = (n: number) => rng.bytes(n);

function judged(j: { code: number; options: Uint8Array }): [number, string] {
  return [j.code, toHex(j.options)];
}

test('LCP server: offers its first type, follows a Nak to another offered type, gives up when nothing is common', () => {
  const o = new LcpOptions({ role: 'server', mru: 1400, authTypes: ['mschap-v2', 'mschap-v1', 'pap'], random });
  o.resetOptions();
  assert.ok(toHex(o.buildRequest()).includes('0305c22381'));
  assert.equal(o.nakReceived(fromHex('0304c023')), 'accept'); // the client wants PAP
  assert.ok(toHex(o.buildRequest()).includes('0304c023'));
  assert.equal(o.nakReceived(fromHex('0305c22305')), 'accept'); // CHAP-MD5 is not offered: next untried (v1)
  assert.ok(toHex(o.buildRequest()).includes('0305c22380'));
  const result = o.nakReceived(fromHex('0305c22305'));
  assert.ok(typeof result === 'object' && /no common authentication protocol: peer wants CHAP-MD5, we offer MS-CHAP v2, MS-CHAP v1, PAP/.test(result.giveUp));
  assert.equal(o.failure?.cause, 'no-common-auth');
});

test('LCP server: a Configure-Reject of the auth option means the peer refuses to authenticate', () => {
  const o = new LcpOptions({ role: 'server', mru: 1400, authTypes: ['pap'], random });
  o.resetOptions();
  const r = o.rejectReceived(fromHex('0304c023'));
  assert.ok(typeof r === 'object');
  assert.equal(o.failure?.cause, 'no-common-auth');
});

test('LCP client: acks an allowed auth type, Naks with its strongest allowed one, Rejects when it allows none', () => {
  const o = new LcpOptions({ role: 'client', mru: 1400, authTypes: ['pap', 'mschap-v1'], random });
  o.resetOptions();
  assert.deepEqual(judged(o.judgeRequest(fromHex('0305c22380'), false)), [C.ConfigureAck, '']);
  assert.equal(o.peerAuth, 'mschap-v1');
  assert.deepEqual(judged(o.judgeRequest(fromHex('0305c22381'), false)), [C.ConfigureNak, '0305c22380']);
  assert.equal(o.refusedAuth, true);
  assert.deepEqual(judged(o.judgeRequest(fromHex('0304c227'), true)), [C.ConfigureReject, '0304c227'], 'past Max-Failure: Reject');
  const none = new LcpOptions({ role: 'client', mru: 1400, authTypes: [], random });
  none.resetOptions();
  assert.deepEqual(judged(none.judgeRequest(fromHex('0304c023'), false)), [C.ConfigureReject, '0304c023']);
});

test('LCP: records the peer MRU, PFC and ACFC; accepts ACCM; Naks magic 0', () => {
  const o = new LcpOptions({ role: 'server', mru: 1400, authTypes: [], random });
  o.resetOptions();
  assert.deepEqual(judged(o.judgeRequest(fromHex('010405dc' + '020600000000' + '050611223344' + '0702' + '0802'), false)), [C.ConfigureAck, '']);
  assert.deepEqual([o.peerMru, o.peerPfc, o.peerAcfc, o.peerMagic], [1500, true, true, 0x11223344]);
  const [code, opts] = judged(o.judgeRequest(fromHex('050600000000'), true));
  assert.equal(code, C.ConfigureNak);
  assert.ok(opts.startsWith('0506') && opts !== '050600000000');
});

test('LCP: Naks and Rejects of our options drop or adjust them', () => {
  const o = new LcpOptions({ role: 'client', mru: 1400, authTypes: [], random });
  o.resetOptions();
  assert.ok(toHex(o.buildRequest()).startsWith('01040578'));
  o.nakReceived(fromHex('01040500'));
  assert.ok(toHex(o.buildRequest()).startsWith('01040500'), 'a smaller MRU is taken');
  o.rejectReceived(fromHex('0104050007020802'));
  assert.equal(toHex(o.buildRequest()).length, 12, 'only the magic number is left');
});

test('IPCP server: Naks 0.0.0.0 or another address with the assigned one, acks it, suggests it when missing', () => {
  const o = new IpcpOptions({ role: 'server', localAddress: '10.1.1.1', peerAddress: '192.168.1.1', dns: [], nbns: [] });
  o.resetOptions();
  assert.equal(toHex(o.buildRequest()), '03060a010101');
  assert.deepEqual(judged(o.judgeRequest(fromHex('030600000000'), false)), [C.ConfigureNak, '0306c0a80101']);
  assert.deepEqual(judged(o.judgeRequest(fromHex('03060a0a0a0a'), false)), [C.ConfigureNak, '0306c0a80101']);
  assert.deepEqual(judged(o.judgeRequest(fromHex('0306c0a80101'), false)), [C.ConfigureAck, '']);
  assert.equal(o.peerAddress, '192.168.1.1');
  assert.deepEqual(judged(o.judgeRequest(fromHex(''), false)), [C.ConfigureNak, '0306c0a80101']);
});

test('IPCP server: rejects VJ compression, and name servers when none are configured', () => {
  const o = new IpcpOptions({ role: 'server', localAddress: '10.1.1.1', peerAddress: '192.168.1.1', dns: [], nbns: [] });
  o.resetOptions();
  // The seed's Windows request: VJ, address, DNS and NBNS; the PIX rejected all but the address.
  assert.deepEqual(judged(o.judgeRequest(fromHex('0206002d0f01' + '030600000000' + '810600000000' + '820600000000'), false)), [
    C.ConfigureReject,
    '0206002d0f01' + '810600000000' + '820600000000',
  ]);
});

test('IPCP server: gives configured DNS and NBNS (RFC 1877), primary and secondary', () => {
  const o = new IpcpOptions({ role: 'server', localAddress: '10.1.1.1', peerAddress: '192.168.1.1', dns: ['10.1.1.53', '10.1.1.54'], nbns: ['10.1.1.137'] });
  o.resetOptions();
  assert.deepEqual(judged(o.judgeRequest(fromHex('0306c0a80101' + '810600000000' + '830600000000' + '820600000000' + '840600000000'), false)), [
    C.ConfigureReject,
    '840600000000',
  ]);
  assert.deepEqual(judged(o.judgeRequest(fromHex('0306c0a80101' + '810600000000' + '830600000000' + '820600000000'), false)), [
    C.ConfigureNak,
    '81060a010135' + '83060a010136' + '82060a010189',
  ]);
});

test('IPCP client: asks for 0.0.0.0 and name servers, takes Naks, drops Rejected ones, gives up without an address', () => {
  const o = new IpcpOptions({ role: 'client', dns: [], nbns: [] });
  o.resetOptions();
  assert.equal(toHex(o.buildRequest()), '030600000000' + '810600000000' + '820600000000' + '830600000000' + '840600000000');
  o.nakReceived(fromHex('0306c0a80101' + '81060a010135'));
  o.rejectReceived(fromHex('820600000000' + '830600000000' + '840600000000'));
  assert.equal(toHex(o.buildRequest()), '0306c0a80101' + '81060a010135');
  assert.equal(o.localAddress, '192.168.1.1');
  assert.deepEqual(o.givenNameServers('dns'), ['10.1.1.53']);
  assert.deepEqual(judged(o.judgeRequest(fromHex('03060a010101'), false)), [C.ConfigureAck, '']);
  assert.equal(o.peerAddress, '10.1.1.1');
  assert.deepEqual(judged(o.judgeRequest(fromHex('030600000000'), false)), [C.ConfigureReject, '030600000000']);
  assert.ok(typeof o.rejectReceived(fromHex('0306c0a80101')) === 'object');
});

test('CCP: the seed Windows request without encryption (H|C and Stac) is rejected entirely', () => {
  const o = new CcpOptions({ allow40: true, allow128: true, stateless: 'prefer' });
  o.resetOptions();
  assert.deepEqual(judged(o.judgeRequest(fromHex('120601000001' + '1105000104'), false)), [C.ConfigureReject, '120601000001' + '1105000104']);
  assert.match(o.failure ?? '', /no common MPPE strength \(peer offers MPPC/);
});

test('CCP: offers every allowed strength, Naks the peer down to one, acks exactly that', () => {
  const o = new CcpOptions({ allow40: false, allow128: true, stateless: 'prefer' });
  o.resetOptions();
  assert.equal(toHex(o.buildRequest()), '120601000040');
  assert.deepEqual(judged(o.judgeRequest(fromHex('1206010000e1'), false)), [C.ConfigureNak, '120601000040'], 'M, L and C bits dropped');
  assert.deepEqual(judged(o.judgeRequest(fromHex('120601000040'), false)), [C.ConfigureAck, '']);
  assert.deepEqual(o.transmit, { bits: 128, stateless: true });
  assert.deepEqual(judged(o.judgeRequest(fromHex(''), false)), [C.ConfigureNak, '120601000040'], 'an empty request is offered MPPE');
  const both = new CcpOptions({ allow40: true, allow128: true, stateless: 'prefer' });
  both.resetOptions();
  assert.equal(toHex(both.buildRequest()), '120601000060');
  assert.equal(both.nakReceived(fromHex('120601000020')), 'accept');
  assert.equal(toHex(both.buildRequest()), '120601000020', 'follows the Nak to 40-bit');
  both.ackReceived();
  assert.deepEqual(both.receive, { bits: 40, stateless: true });
});

test('CCP: stateless policy — require Naks H on, refuse Naks it off, and a conflicting Nak gives up', () => {
  const req = new CcpOptions({ allow40: true, allow128: true, stateless: 'require' });
  req.resetOptions();
  assert.deepEqual(judged(req.judgeRequest(fromHex('120600000040'), false)), [C.ConfigureNak, '120601000040']);
  assert.ok(typeof req.nakReceived(fromHex('120600000040')) === 'object');
  const ref = new CcpOptions({ allow40: true, allow128: true, stateless: 'refuse' });
  ref.resetOptions();
  assert.equal(toHex(ref.buildRequest()), '120600000060');
  assert.deepEqual(judged(ref.judgeRequest(fromHex('120601000040'), false)), [C.ConfigureNak, '120600000040']);
});

test('CCP: a rejected MPPE option or no common strength gives up', () => {
  const o = new CcpOptions({ allow40: true, allow128: false, stateless: 'prefer' });
  o.resetOptions();
  assert.ok(typeof o.nakReceived(fromHex('120601000040')) === 'object');
  o.resetOptions();
  const r = o.rejectReceived(fromHex('120601000020'));
  assert.ok(typeof r === 'object' && r.giveUp === 'peer rejected MPPE');
});

test('IPCP end to end: the client gets the configured DNS and NBNS servers', async () => {
  const p = new Pair(
    { authTypes: ['pap'], localAddress: '10.1.1.1', dns: ['10.1.1.53', '10.1.1.54'], nbns: ['10.1.1.137', '10.1.1.138'] },
    { authTypes: ['pap'], username: 'john', password: 'secret' },
    new LocalAuthenticator([{ username: 'john', password: 'secret' }]),
    { seed: 77 },
  );
  p.start();
  await p.run();
  const up = p.events.client.find((e) => e.type === 'up');
  assert.ok(up && up.type === 'up');
  assert.deepEqual(up.info.dns, ['10.1.1.53', '10.1.1.54']);
  assert.deepEqual(up.info.nbns, ['10.1.1.137', '10.1.1.138']);
  assert.equal(up.info.localAddress, '192.168.1.1');
  assert.equal(up.info.peerAddress, '10.1.1.1');
});
