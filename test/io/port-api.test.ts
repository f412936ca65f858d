/** Option checks and the lifecycle of a native port, without traffic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GreSocket } from '../../src/io/gre-socket.js';
import { TunDevice } from '../../src/io/tun.js';
import { CapabilityError } from '../../src/io/capabilities.js';
import { isRoot } from '../helpers/netns.js';

test('bad options are refused before any socket is opened', () => {
  assert.throws(() => GreSocket.open({ bindAddress: '300.1.1.1' }), RangeError);
  assert.throws(() => GreSocket.open({ batchSize: 0 }), RangeError);
  assert.throws(() => GreSocket.open({ batchSize: 1025 }), RangeError);
  assert.throws(() => GreSocket.open({ maxPacketBytes: 10 }), RangeError);
  assert.throws(() => GreSocket.open({ recvBufferBytes: -1 }), TypeError);
  assert.throws(() => TunDevice.open({ mtu: 10 }), RangeError);
  assert.throws(() => TunDevice.open({ name: 'x'.repeat(16) }), RangeError);
});

test('a closed GRE socket refuses use with EBADF and closes twice quietly', { skip: !isRoot() && 'needs root' }, () => {
  const s = GreSocket.open({ recvBufferBytes: 1 << 20 });
  assert.ok(s.recvBufferBytes >= 1 << 20, `SO_RCVBUF ${s.recvBufferBytes}`);
  s.onBatch(() => {});
  s.pause();
  assert.equal(s.closed, false);
  s.close();
  s.close();
  assert.equal(s.closed, true);
  assert.throws(() => s.send(0x7f000001, new Uint8Array(16)), { code: 'EBADF' });
  assert.throws(() => s.onBatch(() => {}), { code: 'EBADF' });
  assert.throws(() => s.sendBatch(new Uint32Array(1), [new Uint8Array(4)], 1), { code: 'EBADF' });
});

test('binding to an address that is not local fails with its errno, not a capability error', { skip: !isRoot() && 'needs root' }, () => {
  assert.throws(
    () => GreSocket.open({ bindAddress: '192.0.2.77' }),
    (e: NodeJS.ErrnoException) => !(e instanceof CapabilityError) && e.code === 'EADDRNOTAVAIL' && e.syscall === 'bind',
  );
});

test('sendBatch checks its arguments', { skip: !isRoot() && 'needs root' }, () => {
  const s = GreSocket.open();
  try {
    assert.throws(() => s.sendBatch(new Uint32Array(1), [new Uint8Array(4)], 2), RangeError);
    assert.throws(() => s.sendBatch(new Uint32Array(2), [new Uint8Array(4)], 2), RangeError);
    assert.throws(() => s.sendBatch(new Uint32Array(1), ['x' as unknown as Uint8Array], 1), TypeError);
    assert.equal(s.sendBatch(new Uint32Array(0), [], 0), 0);
  } finally {
    s.close();
  }
});
