/**
 * The harness's pure parts, on real inputs: pppd 2.4.9 debug logs captured from the guests,
 * modules.dep lines from Debian's 6.1 kernel, and the ELF binary of the running node.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isDecodeError } from '../../src/wire/errors.js';
import { encodeCpio } from './cpio-newc.js';
import { elfLinkage } from './elf-needed.js';
import { mergedUsrPath } from './guest-rootfs.js';
import { moduleName, planModules } from './kernel-modules.js';
import { parsePppdLog } from './ppp-log.js';

// pppd + pptp-linux dialling pptpd, MS-CHAP v2 + MPPE-128 (client side, abridged).
const CLIENT_LOG = `using channel 1
Using interface ppp0
Connect: ppp0 <--> /dev/pts/0
sent [LCP ConfReq id=0x1 <asyncmap 0x0> <magic 0x7eebcd29> <pcomp> <accomp>]
rcvd [LCP ConfReq id=0x1 <asyncmap 0x0> <auth chap MS-v2> <magic 0x5d25ecc2> <pcomp> <accomp>]
sent [LCP ConfAck id=0x1 <asyncmap 0x0> <auth chap MS-v2> <magic 0x5d25ecc2> <pcomp> <accomp>]
rcvd [LCP ConfAck id=0x1 <asyncmap 0x0> <magic 0x7eebcd29> <pcomp> <accomp>]
rcvd [CHAP Success id=0x80 "S=1F8EFC33B29EA2297E96D6E4E2C6BF713A1AD640 M=Access granted"]
CHAP authentication succeeded
sent [CCP ConfReq id=0x1 <mppe +H -M +S -L -D -C>]
rcvd [CCP ConfAck id=0x1 <mppe +H -M +S -L -D -C>]
MPPE 128-bit stateless compression enabled
rcvd [IPCP ConfNak id=0x1 <addr 192.168.90.10>]
updetach is set. Now detaching.
Script /etc/ppp/ip-pre-up finished (pid 222), status = 0x0
local  IP address 192.168.90.10
remote IP address 192.168.90.1
`;

// PAP with require-mppe-128: pppd ends the link itself.
const PAP_MPPE_LOG = `Using interface ppp9
sent [LCP ConfNak id=0x2 <auth pap>]
rcvd [LCP ConfReq id=0x3 <asyncmap 0x0> <auth pap> <magic 0xecb621f3> <pcomp> <accomp>]
sent [LCP ConfAck id=0x3 <asyncmap 0x0> <auth pap> <magic 0xecb621f3> <pcomp> <accomp>]
rcvd [PAP AuthAck id=0x1 "Login ok"]
PAP authentication succeeded
MPPE required, but MS-CHAP[v2] nor EAP-TLS auth are performed.
sent [LCP TermReq id=0x2 "MPPE required but not available"]
Connection terminated.
Script pptp 172.18.124.11 --nolaunchpppd finished (pid 522), status = 0x0
`;

test('pppd log: interface, MS-CHAP v2, MPPE-128 stateless, IPCP addresses', () => {
  assert.deepEqual(parsePppdLog(CLIENT_LOG), {
    interface: 'ppp0',
    auth: 'mschap-v2',
    authSucceeded: true,
    mppe: { bits: 128, stateful: false },
    localAddress: '192.168.90.10',
    remoteAddress: '192.168.90.1',
    dns: [],
    errors: [],
  });
});

test('pppd log: the server side reads its own ConfAck being acknowledged', () => {
  const n = parsePppdLog(
    'rcvd [LCP ConfAck id=0x1 <asyncmap 0x0> <auth chap MS> <magic 0x5d25ecc2>]\n' +
      'MPPE 40-bit stateful compression enabled\nprimary   DNS address 10.1.1.53\nsecondary DNS address 10.1.1.54\n',
  );
  assert.equal(n.auth, 'mschap');
  assert.deepEqual(n.mppe, { bits: 40, stateful: true });
  assert.deepEqual(n.dns, ['10.1.1.53', '10.1.1.54']);
});

test('pppd log: PAP + MPPE refusal is reported as errors, no address', () => {
  const n = parsePppdLog(PAP_MPPE_LOG);
  assert.equal(n.auth, 'pap');
  assert.equal(n.authSucceeded, true);
  assert.equal(n.localAddress, undefined);
  assert.deepEqual(n.errors, ['MPPE required, but MS-CHAP[v2] nor EAP-TLS auth are performed.', 'Connection terminated.']);
  assert.equal(parsePppdLog('sent [LCP ConfAck id=0x1 <auth chap MD5>]\n').auth, 'chap');
});

const MODULES_DEP = `kernel/drivers/net/ppp/ppp_generic.ko: kernel/drivers/net/slip/slhc.ko
kernel/drivers/net/ppp/ppp_mppe.ko: kernel/lib/crypto/libarc4.ko kernel/drivers/net/ppp/ppp_generic.ko kernel/drivers/net/slip/slhc.ko
kernel/drivers/net/slip/slhc.ko:
kernel/lib/crypto/libarc4.ko:
kernel/fs/9p/9p.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/fscache/fscache.ko kernel/fs/netfs/netfs.ko
kernel/net/9p/9pnet.ko.xz:
kernel/fs/fscache/fscache.ko: kernel/fs/netfs/netfs.ko
kernel/fs/netfs/netfs.ko:
`;

test('module plan: dependencies load first, each once; built-ins are skipped; unknown names throw', () => {
  const plan = planModules(MODULES_DEP, 'kernel/drivers/virtio/virtio_pci.ko\n', ['ppp_mppe', 'ppp-generic', '9p', 'virtio_pci']);
  assert.deepEqual(plan.order, [
    'kernel/lib/crypto/libarc4.ko',
    'kernel/drivers/net/slip/slhc.ko',
    'kernel/drivers/net/ppp/ppp_generic.ko',
    'kernel/drivers/net/ppp/ppp_mppe.ko',
    'kernel/net/9p/9pnet.ko.xz',
    'kernel/fs/netfs/netfs.ko',
    'kernel/fs/fscache/fscache.ko',
    'kernel/fs/9p/9p.ko.xz',
  ]);
  assert.deepEqual(plan.builtin, ['virtio_pci']);
  assert.equal(moduleName('kernel/fs/9p/9p.ko.xz'), '9p');
  assert.throws(() => planModules(MODULES_DEP, '', ['nonexistent']), /nonexistent is neither/);
});

test('ELF linkage of the running node binary names libc and the x86-64 loader', () => {
  const l = elfLinkage(readFileSync(process.execPath));
  assert.ok(!isDecodeError(l), String(l));
  assert.ok(l.needed.includes('libc.so.6'), l.needed.join(' '));
  assert.equal(l.interp, '/lib64/ld-linux-x86-64.so.2');
  assert.ok(isDecodeError(elfLinkage(Buffer.from('#!/bin/sh\n'))));
});

test('cpio newc: header fields, 4-byte padding, trailer', () => {
  const b = encodeCpio([
    { path: 'etc', kind: 'dir' },
    { path: '/etc/x', kind: 'file', mode: 0o600, data: Buffer.from('hello') },
    { path: 'dev/console', kind: 'chardev', major: 5, minor: 1 },
  ]);
  const s = b.toString('latin1');
  assert.equal(s.slice(0, 6), '070701');
  // Second record: after the first (110 + "etc\\0" = 114, padded to 116).
  const second = s.slice(116);
  assert.equal(second.slice(14, 22), (0o100600).toString(16).padStart(8, '0'));
  assert.equal(second.slice(54, 62), '00000005'); // file size
  assert.equal(second.slice(110, 116), 'etc/x\0');
  assert.equal(second.slice(116, 121), 'hello');
  assert.ok(s.includes('TRAILER!!!\0'));
  assert.equal(b.length % 4, 0);
  // rdevmajor 5, rdevminor 1, namesize 12, check 0, then the name.
  assert.match(s, /070701.{72}00000005000000010000000c00000000dev\/console\0/);
});

test('merged /usr paths', () => {
  assert.equal(mergedUsrPath('/bin/ip'), 'usr/bin/ip');
  assert.equal(mergedUsrPath('lib64/ld-linux-x86-64.so.2'), 'usr/lib64/ld-linux-x86-64.so.2');
  assert.equal(mergedUsrPath('usr/sbin/pppd'), 'usr/sbin/pppd');
  assert.equal(mergedUsrPath('etc/ppp/options'), 'etc/ppp/options');
  assert.equal(mergedUsrPath('library/x'), 'library/x');
});
