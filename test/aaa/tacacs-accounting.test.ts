/** TacacsAccounting against the project's TACACS+ test server (RFC 8907 §7, AV pairs §8.3). */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountingRecord } from '../../src/aaa/authenticator.js';
import { TacacsAccounting } from '../../src/aaa/tacacs/index.js';
import { startTacacsServer, type TacacsTestServer } from '../tacacs-server/server.js';

const KEY = 'acct-key';
const NOW = 1_700_000_000_000;

const record: AccountingRecord = {
  sessionId: 'A1B2C3',
  username: 'cisco',
  callingStationId: '10.44.17.104',
  calledStationId: '172.18.124.152',
  nasPort: 3,
  framedAddress: '192.168.1.77',
};

describe('TacacsAccounting', () => {
  let dir: string;
  let server: TacacsTestServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vpdn-tacacs-'));
    server = await startTacacsServer({ key: KEY, users: [], accountingFile: join(dir, 'acct.log') });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('START, watchdog update and STOP are recorded with their AV pairs', async () => {
    const acct = new TacacsAccounting({ hosts: [{ address: '127.0.0.1', port: server.port, key: KEY, timeoutMs: 2000 }] }, () => NOW);
    await acct.start(record);
    await acct.interim({ ...record, sessionTime: 60, inputOctets: 1000n, outputOctets: 2000n, inputPackets: 10n, outputPackets: 20n });
    await acct.stop({
      ...record,
      sessionTime: 125,
      inputOctets: 5_000_000_000n,
      outputOctets: 7n,
      inputPackets: 40n,
      outputPackets: 41n,
      terminateCause: 'User-Request',
    });
    await acct.close();
    assert.deepEqual(
      server.records.map((r) => [r.kind, r.user, r.port, r.remAddr]),
      [
        ['start', 'cisco', 'Virtual3', '10.44.17.104'],
        ['watchdog-update', 'cisco', 'Virtual3', '10.44.17.104'],
        ['stop', 'cisco', 'Virtual3', '10.44.17.104'],
      ],
    );
    const [start, watchdog, stop] = server.records.map((r) => r.avpairs);
    assert.deepEqual(start, {
      task_id: 'A1B2C3',
      start_time: '1700000000',
      timezone: 'UTC',
      service: 'ppp',
      protocol: 'ip',
      addr: '192.168.1.77',
    });
    assert.equal(watchdog.start_time, '1699999940');
    assert.equal(watchdog.elapsed_time, '60');
    assert.equal(watchdog.bytes_in, '1000');
    assert.deepEqual(
      [stop.task_id, stop.stop_time, stop.elapsed_time, stop.bytes_in, stop.bytes_out, stop.paks_in, stop.paks_out, stop.reason],
      ['A1B2C3', '1700000000', '125', '5000000000', '7', '40', '41', 'User-Request'],
    );
    const lines = readFileSync(join(dir, 'acct.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.kind), ['start', 'watchdog-update', 'stop']);
    assert.equal(lines[2].avpairs.bytes_in, '5000000000');
  });

  it('fails over to the next host, and rejects when every host fails', async () => {
    const broken = await startTacacsServer({ key: KEY, users: [], inject: { mode: 'error' } });
    const before = server.records.length;
    const two = new TacacsAccounting({
      hosts: [
        { address: '127.0.0.1', port: broken.port, key: KEY, timeoutMs: 1000 },
        { address: '127.0.0.1', port: server.port, key: KEY, timeoutMs: 1000 },
      ],
    });
    await two.stop({ ...record, sessionTime: 1 });
    assert.equal(server.records.length, before + 1);
    const one = new TacacsAccounting({ hosts: [{ address: '127.0.0.1', port: broken.port, key: KEY, timeoutMs: 1000 }] });
    await assert.rejects(one.start(record), /accounting start for A1B2C3 failed: .*accounting status ERROR/);
    const wrongKey = new TacacsAccounting({ hosts: [{ address: '127.0.0.1', port: server.port, key: 'nope', timeoutMs: 1000 }] });
    await assert.rejects(wrongKey.start(record), /bad key or protocol error/);
    assert.equal(server.records.length, before + 1);
    await Promise.all([two.close(), one.close(), wrongKey.close(), broken.close()]);
  });
});
