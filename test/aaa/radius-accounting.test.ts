/**
 * RadiusAccounting against a real FreeRADIUS: what lands in its detail file for Start,
 * Interim-Update, Stop and Accounting-On/-Off, retransmission with Acct-Delay-Time, failures.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import type { AccountingRecord } from '../../src/aaa/authenticator.js';
import { RadiusAccounting, RadiusAccountingError, type RadiusHostOptions } from '../../src/aaa/radius/index.js';
import { FreeRadius, freeUdpPorts } from '../helpers/freeradius.js';

let server: FreeRadius;
const clients: RadiusAccounting[] = [];

function accounting(host: Partial<RadiusHostOptions> = {}, interimIntervalSec = 0): RadiusAccounting {
  const c = new RadiusAccounting({
    hosts: [{ address: '127.0.0.1', acctPort: server.ports.acctStrict, secret: server.secret, timeoutMs: 1000, ...host }],
    nasIpAddress: '192.0.2.1',
    nasIdentifier: 'vpdn-test',
    interimIntervalSec,
  });
  clients.push(c);
  return c;
}

type DetailRecord = Map<string, string>;

/** The detail file: records separated by blank lines, "\tName = value" lines. */
function detailRecords(sessionId?: string): DetailRecord[] {
  return server
    .readDetail()
    .split(/\n\n+/)
    .filter((block) => block.trim())
    .map((block) => {
      const m = new Map<string, string>();
      for (const line of block.split('\n')) {
        const kv = /^\t([\w-]+) = (.*)$/.exec(line);
        if (kv) m.set(kv[1], kv[2].replace(/^"(.*)"$/, '$1'));
      }
      return m;
    })
    .filter((r) => sessionId === undefined || r.get('Acct-Session-Id') === sessionId);
}

function record(sessionId: string, extra: Partial<AccountingRecord> = {}): AccountingRecord {
  return {
    sessionId,
    username: 'alice',
    callingStationId: '198.51.100.7',
    calledStationId: '203.0.113.1',
    nasPort: 4,
    framedAddress: '192.168.1.5',
    classes: [new Uint8Array(Buffer.from('vidpn-class'))],
    ...extra,
  };
}

before(async () => {
  server = await FreeRadius.start();
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.stop();
});

describe('RADIUS accounting', () => {
  it('writes Start, Interim-Update and Stop with octets, gigawords, packets and Class', async () => {
    const c = accounting();
    await c.start(record('acct-1'));
    await c.interim(record('acct-1', { sessionTime: 30, inputOctets: 1000n, outputOctets: 2000n, inputPackets: 10n, outputPackets: 20n }));
    const big = (5n << 32n) + 1234n;
    await c.stop(
      record('acct-1', {
        sessionTime: 61,
        inputOctets: big,
        outputOctets: 4321n,
        inputPackets: 70n,
        outputPackets: 80n,
        terminateCause: 'Admin-Reset',
      }),
    );
    const [start, interim, stop] = detailRecords('acct-1');
    assert.equal(start.get('Acct-Status-Type'), 'Start');
    assert.equal(start.get('User-Name'), 'alice');
    assert.equal(start.get('NAS-IP-Address'), '192.0.2.1');
    assert.equal(start.get('NAS-Identifier'), 'vpdn-test');
    assert.equal(start.get('NAS-Port'), '4');
    assert.equal(start.get('NAS-Port-Type'), 'Virtual');
    assert.equal(start.get('Framed-IP-Address'), '192.168.1.5');
    assert.equal(start.get('Calling-Station-Id'), '198.51.100.7');
    assert.equal(start.get('Class'), '0x766964706e2d636c617373');
    assert.equal(start.get('Acct-Delay-Time'), '0');
    assert.equal(interim.get('Acct-Status-Type'), 'Interim-Update');
    assert.equal(interim.get('Acct-Input-Octets'), '1000');
    assert.equal(interim.get('Acct-Output-Octets'), '2000');
    assert.equal(interim.get('Acct-Session-Time'), '30');
    assert.equal(stop.get('Acct-Status-Type'), 'Stop');
    assert.equal(stop.get('Acct-Input-Octets'), '1234');
    assert.equal(stop.get('Acct-Input-Gigawords'), '5');
    assert.equal(stop.get('Acct-Output-Octets'), '4321');
    assert.equal(stop.has('Acct-Output-Gigawords'), false);
    assert.equal(stop.get('Acct-Input-Packets'), '70');
    assert.equal(stop.get('Acct-Output-Packets'), '80');
    assert.equal(stop.get('Acct-Session-Time'), '61');
    assert.equal(stop.get('Acct-Terminate-Cause'), 'Admin-Reset');
  });

  it('sends Accounting-On and -Off', async () => {
    const c = accounting();
    const before = detailRecords().length;
    await c.on();
    await c.off();
    const types = detailRecords()
      .slice(before)
      .map((r) => r.get('Acct-Status-Type'));
    assert.deepEqual(types, ['Accounting-On', 'Accounting-Off']);
  });

  it('sends Interim-Updates from a snapshot every interval until Stop', async () => {
    const c = accounting({}, 0.1);
    let octets = 0n;
    await c.start(record('acct-2'), () => record('acct-2', { inputOctets: (octets += 100n) }));
    const deadline = Date.now() + 3000;
    while (detailRecords('acct-2').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await c.stop(record('acct-2', { inputOctets: 999n }));
    const count = detailRecords('acct-2').length;
    await new Promise((r) => setTimeout(r, 250));
    const all = detailRecords('acct-2');
    assert.equal(all.length, count, 'no Interim-Update after Stop');
    const interims = all.filter((r) => r.get('Acct-Status-Type') === 'Interim-Update');
    assert.ok(interims.length >= 2, `interims: ${interims.length}`);
    assert.equal(interims[0].get('Acct-Input-Octets'), '100');
    assert.equal(interims[1].get('Acct-Input-Octets'), '200');
  });

  it('retransmits with a new Identifier and a grown Acct-Delay-Time', async () => {
    const proxy = await DroppingProxy.start(server.ports.acctStrict, 1);
    try {
      const c = accounting({ acctPort: proxy.port, timeoutMs: 1100, retries: 1 });
      await c.start(record('acct-3'));
      assert.equal(c.counters.retransmissions, 1);
      assert.equal(proxy.identifiers.length, 2);
      assert.notEqual(proxy.identifiers[0], proxy.identifiers[1]);
      const [start] = detailRecords('acct-3');
      assert.equal(start.get('Acct-Delay-Time'), '1');
    } finally {
      proxy.close();
    }
  });

  it('rejects with RadiusAccountingError when no server answers', async () => {
    const [port] = await freeUdpPorts(1);
    const c = accounting({ acctPort: port, timeoutMs: 50, retries: 1 });
    await assert.rejects(c.start(record('acct-4')), (err: unknown) => {
      assert.ok(err instanceof RadiusAccountingError);
      assert.match(err.message, /timeout: no valid reply from 127\.0\.0\.1:\d+ after 2 tries/);
      return true;
    });
  });
});

/** Relays to FreeRADIUS but drops the first `drop` requests; records each Identifier seen. */
class DroppingProxy {
  readonly identifiers: number[] = [];
  private constructor(
    private readonly front: Socket,
    private readonly back: Socket,
    upstreamPort: number,
    drop: number,
  ) {
    let client: { address: string; port: number } | undefined;
    front.on('message', (msg, rinfo) => {
      this.identifiers.push(msg[1]);
      if (this.identifiers.length <= drop) return;
      client = { address: rinfo.address, port: rinfo.port };
      back.send(msg, upstreamPort, '127.0.0.1');
    });
    back.on('message', (msg) => {
      if (client) front.send(msg, client.port, client.address);
    });
  }

  static async start(upstreamPort: number, drop: number): Promise<DroppingProxy> {
    const bind = async (): Promise<Socket> => {
      const s = createSocket('udp4');
      await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
      return s;
    };
    return new DroppingProxy(await bind(), await bind(), upstreamPort, drop);
  }

  get port(): number {
    return this.front.address().port;
  }

  close(): void {
    this.front.close();
    this.back.close();
  }
}
