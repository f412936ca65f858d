/**
 * Client engine against server engine over a lossy, reordering link: every combination of server
 * auth types × client auth types × server MPPE setting × client encryption × client key strength.
 * The expectation comes from the rules of SPEC §3/§5 written out below, not from the engine.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthType } from '../../src/aaa/authenticator.js';
import { LocalAuthenticator } from '../../src/aaa/local.js';
import type { PppOutput, ServerMppePolicy } from '../../src/ppp/session.js';
import { Pair } from './link.js';

const ALL: AuthType[] = ['mschap-v2', 'mschap-v1', 'chap-md5', 'pap'];
const AUTH_SETS: AuthType[][] = [['mschap-v2'], ['mschap-v1'], ['chap-md5'], ['pap'], ALL];
const SERVER_MPPE = ['none', '40', '128', 'auto', '40 required', '128 required', 'auto required'] as const;
const CLIENT_ENCRYPTION = ['none', 'optional', 'required'] as const;
const CLIENT_BITS = [40, 128] as const;

type ServerMppe = (typeof SERVER_MPPE)[number];
type ClientEncryption = (typeof CLIENT_ENCRYPTION)[number];

interface Case {
  serverAuth: AuthType[];
  clientAuth: AuthType[];
  serverMppe: ServerMppe;
  clientEncryption: ClientEncryption;
  clientBits: 40 | 128;
}

type SideOutcome = { up: true } | { up: false; causes: string[]; windowsError?: number };
interface Expected {
  auth?: AuthType;
  mppeBits?: 40 | 128 | null;
  server: SideOutcome;
  client: SideOutcome;
  /** Both sides fail for their own reason; either may hear of it first from the other. */
  race?: boolean;
}

const down = (causes: string[], windowsError?: number): SideOutcome => ({ up: false, causes, windowsError });
/** The other side ended it: LCP Terminate-Request, or (when both of those were lost) the call cleared. */
const ENDED_BY_PEER = ['peer-terminated', 'lower-down'];
/** The server refused the login; when its Failure and Terminate-Requests are all lost the client sees the call cleared. */
const CLEARED = ['lower-down'];

function serverPolicy(m: ServerMppe): ServerMppePolicy {
  if (m === 'none') return { mode: 'none', bits: 'auto' };
  const [bits, required] = m.split(' ');
  return { mode: required ? 'required' : 'auto', bits: bits === 'auto' ? 'auto' : (Number(bits) as 40 | 128) };
}

/** What SPEC §3 and §5 say must happen. */
function expected(c: Case): Expected {
  // Auth: the server offers its types strongest first and follows the client's Nak.
  const auth = c.serverAuth.find((t) => c.clientAuth.includes(t));
  if (!auth) return { server: down(['no-common-auth']), client: down(['no-common-auth'], 732) };
  const msChap = auth === 'mschap-v1' || auth === 'mschap-v2';
  const serverRequired = c.serverMppe.endsWith('required');
  const clientRequired = c.clientEncryption === 'required';
  // §5.4 / pppd: required MPPE without MS-CHAP keys fails the login itself.
  if (serverRequired && !msChap) return { auth, server: down(['mppe-keys-missing']), client: down(['auth-failed', ...CLEARED], 691) };
  if (clientRequired && !msChap) return { auth, server: down(ENDED_BY_PEER), client: down(['mppe-required'], 742) };
  const serverBits: number[] = c.serverMppe === 'none' ? [] : c.serverMppe.startsWith('40') ? [40] : c.serverMppe.startsWith('128') ? [128] : [40, 128];
  const agreed = msChap && c.clientEncryption !== 'none' && serverBits.includes(c.clientBits);
  if (agreed) return { auth, mppeBits: c.clientBits, server: { up: true }, client: { up: true } };
  if (serverRequired && clientRequired) {
    return { auth, race: true, server: down(['mppe-required', ...ENDED_BY_PEER]), client: down(['ccp-rejected', ...ENDED_BY_PEER], 742) };
  }
  // §5.3: the server requires encryption, the client does not do it.
  if (serverRequired) return { auth, server: down(['mppe-required']), client: down(ENDED_BY_PEER) };
  // §5.2: the client requires encryption the server does not give.
  if (clientRequired) return { auth, server: down(ENDED_BY_PEER), client: down(['ccp-rejected'], 742) };
  return { auth, mppeBits: null, server: { up: true }, client: { up: true } };
}

function describeSet(s: AuthType[]): string {
  return s.length === ALL.length ? 'all four' : s[0];
}

function final(events: PppOutput[]): PppOutput | undefined {
  return events.filter((e) => e.type === 'up' || e.type === 'down').at(-1);
}

// PPP_MATRIX_SEED / PPP_MATRIX_LOSS re-run the matrix under other link conditions (stress runs).
let seed = Number(process.env.PPP_MATRIX_SEED ?? 1);
const loss = Number(process.env.PPP_MATRIX_LOSS ?? 0.08);
for (const serverAuth of AUTH_SETS) {
  for (const clientAuth of AUTH_SETS) {
    for (const serverMppe of SERVER_MPPE) {
      for (const clientEncryption of CLIENT_ENCRYPTION) {
        for (const clientBits of CLIENT_BITS) {
          const c: Case = { serverAuth, clientAuth, serverMppe, clientEncryption, clientBits };
          const e = expected(c);
          const outcome = e.server.up ? `up${e.mppeBits ? ` MPPE-${e.mppeBits}` : ' unencrypted'} via ${e.auth}` : `fails (${(e.client as { causes: string[] }).causes[0]})`;
          const name = `server auth ${describeSet(serverAuth)}, client allows ${describeSet(clientAuth)}, server mppe ${serverMppe}, client encryption ${clientEncryption} ${clientBits}-bit: ${outcome}`;
          const caseSeed = seed++;
          test(name, async () => {
            const pair = new Pair(
              { authTypes: serverAuth, serverMppe: serverPolicy(serverMppe), localAddress: '10.1.1.1', dns: ['10.1.1.53'] },
              {
                authTypes: clientAuth,
                username: 'john',
                password: 'cisco123',
                clientMppe: { mode: clientEncryption, allow40: clientBits === 40, allow128: clientBits === 128, stateless: 'prefer' },
              },
              new LocalAuthenticator([{ username: 'john', password: 'cisco123' }]),
              { seed: caseSeed, loss, reorder: 0.1, reorderMs: 30, delayMs: 5, clearCallMs: 50 },
            );
            pair.start();
            await pair.run();
            for (const side of ['server', 'client'] as const) {
              const want = e[side];
              const got = final(pair.events[side]);
              assert.ok(got, `${side} never settled`);
              if (want.up) {
                assert.equal(got.type, 'up', `${side}: ${JSON.stringify(got)}`);
                if (got.type !== 'up') continue;
                assert.equal(got.info.authType, e.auth);
                assert.deepEqual(got.info.mppe, e.mppeBits ? { bits: e.mppeBits, stateless: true } : null);
                assert.equal(pair.events[side].some((x) => x.type === 'down'), false);
              } else {
                assert.equal(got.type, 'down', `${side}: ${JSON.stringify(got)}`);
                if (got.type !== 'down') continue;
                assert.ok(want.causes.includes(got.cause), `${side} cause ${got.cause} (${got.reason}), want ${want.causes.join(' or ')}`);
                const windowsError = ENDED_BY_PEER.includes(got.cause) ? undefined : want.windowsError;
                assert.equal(got.windowsError, windowsError, `${side} windows error`);
              }
            }
            if (e.race) {
              const causes = [final(pair.events.server), final(pair.events.client)].map((x) => (x as { cause: string }).cause);
              assert.ok(causes.some((x) => !ENDED_BY_PEER.includes(x)), 'someone must have failed for its own reason');
            }
          });
        }
      }
    }
  }
}
