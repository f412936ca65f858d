import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { desEncryptBlock, desEncryptBlock64, desKeyWithParity } from '../../../src/ppp/crypto/des.js';
import { fromHex, toHex } from '../../../src/wire/bytes.js';

test('FIPS 81 Appendix B: "Now is t" under 0123456789ABCDEF', () => {
  const out = desEncryptBlock64(fromHex('0123456789abcdef'), new Uint8Array(Buffer.from('Now is t', 'latin1')));
  assert.equal(toHex(out), '3fa40e8a984d4815');
});

test('NBS SP 500-20 variable-plaintext vectors under key 0101010101010101', () => {
  const key = fromHex('0101010101010101');
  const vectors: [string, string][] = [
    ['8000000000000000', '95f8a5e5dd31d900'],
    ['4000000000000000', 'dd7f121ca5015619'],
    ['2000000000000000', '2e8653104f3834ea'],
  ];
  for (const [plain, cipher] of vectors) assert.equal(toHex(desEncryptBlock64(key, fromHex(plain))), cipher, plain);
});

test('RFC 2759 §9.3 / RFC 2433 B.3 parity-corrected DES keys from the "MyPw" hash', () => {
  assert.equal(toHex(desKeyWithParity(fromHex('FC156AF7EDCD6C'))), 'fd0b5b5e7f6e34d9');
  assert.equal(toHex(desKeyWithParity(fromHex('0EDDE3337D427F'))), '0e6e796737ea08fe');
});

test('7-byte form equals the 8-byte form with parity, and parity bits are ignored', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 7, maxLength: 7 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), (key7, block) => {
      const key8 = desKeyWithParity(key7);
      for (const b of key8) {
        let ones = 0;
        for (let v = b; v; v >>= 1) ones += v & 1;
        assert.equal(ones % 2, 1, 'odd parity');
      }
      const flipped = key8.map((b) => b ^ 1);
      const c = desEncryptBlock(key7, block);
      assert.deepEqual(c, desEncryptBlock64(key8, block));
      assert.deepEqual(c, desEncryptBlock64(flipped, block));
    }),
    { numRuns: 100 },
  );
});

test('wrong sizes are programmer errors', () => {
  assert.throws(() => desEncryptBlock(new Uint8Array(8), new Uint8Array(8)), RangeError);
  assert.throws(() => desEncryptBlock64(new Uint8Array(8), new Uint8Array(7)), RangeError);
});
