import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rc4 } from '../../../src/ppp/crypto/rc4.js';
import { fromHex, toHex } from '../../../src/wire/bytes.js';

// RFC 6229 §2: keystream at offsets 0, 16, 240, 256, ..., 4080, 4096 (16 bytes each).
const OFFSETS = [0, 16, 240, 256, 496, 512, 752, 768, 1008, 1024, 1520, 1536, 2032, 2048, 3056, 3072, 4080, 4096];
const RFC6229: Record<string, string[]> = {
  // 40-bit key
  '0102030405': [
    'b2396305f03dc027ccc3524a0a1118a8', '6982944f18fc82d589c403a47a0d0919', '28cb1132c96ce286421dcaadb8b69eae',
    '1cfcf62b03eddb641d77dfcf7f8d8c93', '42b7d0cdd918a8a33dd51781c81f4041', '6459844432a7da923cfb3eb4980661f6',
    'ec10327bde2beefd18f9277680457e22', 'eb62638d4f0ba1fe9fca20e05bf8ff2b', '45129048e6a0ed0b56b490338f078da5',
    '30abbcc7c20b01609f23ee2d5f6bb7df', '3294f744d8f9790507e70f62e5bbceea', 'd8729db41882259bee4f825325f5a130',
    '1eb14a0c13b3bf47fa2a0ba93ad45b8b', 'cc582f8ba9f265e2b1be9112e975d2d7', 'f2e30f9bd102ecbf75aaade9bc35c43c',
    'ec0e11c479dc329dc8da7968fe965681', '068326a2118416d21f9d04b2cd1ca050', 'ff25b58995996707e51fbdf08b34d875',
  ],
  // 40-bit key, second set
  '833222772a': [
    '80ad97bdc973df8a2e879e92a497efda', '20f060c2f2e5126501d3d4fea10d5fc0', 'faa148e99046181fec6b2085f3b20ed9',
    'f0daf5bab3d596839857846f73fbfe5a', '1c7e2fc4639232fe297584b296996bc8', '3db9b249406cc8edffac55ccd322ba12',
    'e4f9f7e0066154bbd125b745569bc897', '75d5ef262b44c41a9cf63ae14568e1b9', '6da453dbf81e82334a3d8866cb50a1e3',
    '7828d074119cab5c22b294d7a9bfa0bb', 'adb89cea9a15fbe617295bd04b8ca05c', '6251d87fd4aaae9a7e4ad5c217d3f300',
    'e7119bd6dd9b22afe8f89585432881e2', '785b60fd7ec4e9fcb6545f350d660fab', 'afecc037fdb7b0838eb3d70bcd268382',
    'dbc1a7b49d57358cc9fa6d61d73b7cf0', '6349d126a37afcba89794f9804914fdc', 'bf42c3018c2f7c66bfde524975768115',
  ],
  // 128-bit key
  '0102030405060708090a0b0c0d0e0f10': [
    '9ac7cc9a609d1ef7b2932899cde41b97', '5248c4959014126a6e8a84f11d1a9e1c', '065902e4b620f6cc36c8589f66432f2b',
    'd39d566bc6bce3010768151549f3873f', 'b6d1e6c4a5e4771cad79538df295fb11', 'c68c1d5c559a974123df1dbc52a43b89',
    'c5ecf88de897fd57fed301701b82a259', 'eccbe13de1fcc91c11a0b26c0bc8fa4d', 'e7a72574f8782ae26aabcf9ebcd66065',
    'bdf0324e6083dcc6d3cedd3ca8c53c16', 'b40110c4190b5622a96116b0017ed297', 'ffa0b514647ec04f6306b892ae661181',
    'd03d1bc03cd33d70dff9fa5d71963ebd', '8a44126411eaa78bd51e8d87a8879bf5', 'fabeb76028ade2d0e48722e46c4615a3',
    'c05d88abd50357f935a63c59ee537623', 'ff38265c1642c1abe8d3c2fe5e572bf8', 'a36a4c301ae8ac13610ccbc12256cacc',
  ],
};

test('RFC 6229 keystream vectors, 40- and 128-bit keys, every listed offset', () => {
  for (const [key, blocks] of Object.entries(RFC6229)) {
    const stream = new Uint8Array(4112);
    new Rc4(fromHex(key)).process(stream);
    OFFSETS.forEach((off, i) => assert.equal(toHex(stream.subarray(off, off + 16)), blocks[i], `key ${key} offset ${off}`));
  }
});

test('processing in pieces equals processing at once; applying twice restores the data', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 32 }),
      fc.uint8Array({ maxLength: 600 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (key, data, cuts) => {
        const whole = Uint8Array.from(data);
        new Rc4(key).process(whole);
        const pieces = Uint8Array.from(data);
        const rc4 = new Rc4(key);
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        let at = 0;
        for (const p of [...points, data.length]) {
          rc4.process(pieces, at, p - at);
          at = p;
        }
        assert.deepEqual(pieces, whole);
        new Rc4(key).process(whole);
        assert.deepEqual(whole, data);
      },
    ),
    { numRuns: 200 },
  );
});

test('the same keystream through views at every alignment, long and short', () => {
  const key = fromHex('0102030405060708090a0b0c0d0e0f10');
  const block = fromHex(RFC6229['0102030405060708090a0b0c0d0e0f10'][0]);
  for (let align = 0; align < 8; align++) {
    for (const length of [1, 16, 31, 32, 33, 100, 1403]) {
      const view = new Uint8Array(new ArrayBuffer(length + 16), align, length);
      new Rc4(key).process(view);
      const n = Math.min(16, length);
      assert.deepEqual(view.subarray(0, n), block.subarray(0, n), `byteOffset ${align}, ${length} bytes`);
    }
  }
});

test('setKey re-keys in place like a new instance; offset leaves the rest alone', () => {
  const rc4 = new Rc4(fromHex('ffffffff'));
  rc4.process(new Uint8Array(100));
  rc4.setKey(fromHex('0102030405060708090a0b0c0d0e0f10aaaa'), 16);
  const buf = new Uint8Array(20);
  rc4.process(buf, 4, 16);
  assert.equal(toHex(buf.subarray(0, 4)), '00000000');
  assert.equal(toHex(buf.subarray(4)), RFC6229['0102030405060708090a0b0c0d0e0f10'][0]);
});

test('bad ranges and keys are programmer errors', () => {
  assert.throws(() => new Rc4(new Uint8Array(0)), RangeError);
  const rc4 = new Rc4(fromHex('01'));
  assert.throws(() => rc4.process(new Uint8Array(4), 2, 3), RangeError);
  assert.throws(() => rc4.process(new Uint8Array(4), -1, 1), RangeError);
});
