/**
 * TACACS+ (RFC 8907) password checks for PPP: PAP, CHAP and, where the server has them,
 * MS-CHAP v1/v2. TACACS+ has no field for MPPE keys or the MS-CHAP v2 authenticator
 * response, so it never supplies them; after a PASS it asks for authorization `service=ppp`.
 */
import type { AuthRequest, AuthResult, AuthType, Authenticator } from '../authenticator.js';
import {
  TAC_PLUS_AUTHEN,
  TAC_PLUS_AUTHEN_STATUS_ERROR,
  TAC_PLUS_AUTHEN_STATUS_FAIL,
  TAC_PLUS_AUTHEN_STATUS_FOLLOW,
  TAC_PLUS_AUTHEN_STATUS_PASS,
  TAC_PLUS_AUTHEN_STATUS_RESTART,
  TAC_PLUS_AUTHOR,
  TAC_PLUS_AUTHOR_STATUS_ERROR,
  TAC_PLUS_AUTHOR_STATUS_PASS_ADD,
  TAC_PLUS_AUTHOR_STATUS_PASS_REPL,
  TAC_PLUS_MINOR_VER_DEFAULT,
  TAC_PLUS_MINOR_VER_ONE,
  decodeAuthenReply,
  decodeAuthorResponse,
  encodeAuthenStart,
  encodeAuthorRequest,
  type AuthenReply,
  type AuthorResponse,
} from '../../wire/tacacs.js';
import { applyAuthorization, authorizationRequest } from './authorization.js';
import { authenData, authenStart } from './authen-start.js';
import { TacacsClient } from './client.js';
import type { TacacsOptions } from './options.js';

/** RFC 2433 §3 "E=691": authentication failure. */
const MSCHAP_AUTH_FAILURE = 691;

/** Said in every MS-CHAP v2 accept: the PPP engine must not expect MPPE keys or S=. */
export const TACACS_NO_MPPE_NOTE =
  'TACACS+ returns no MS-CHAP v2 authenticator response and no MPPE keys: encryption cannot be keyed';

export class TacacsAuthenticator implements Authenticator {
  readonly methods: ReadonlySet<AuthType>;
  readonly providesMppeKeys = false;
  private readonly client: TacacsClient;
  private readonly authorize: boolean;

  constructor(options: TacacsOptions) {
    this.client = new TacacsClient(options);
    this.methods = new Set(options.methods ?? ['chap-md5', 'pap']);
    this.authorize = options.authorize ?? true;
  }

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    try {
      return await this.run(request);
    } catch (e) {
      return reject(request, `TACACS+: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private async run(request: AuthRequest): Promise<AuthResult> {
    const data = authenData(request);
    if (typeof data === 'string') return reject(request, `TACACS+: ${data}`);
    const body = encodeAuthenStart(authenStart(request, data));
    // §5.4.1: PAP, CHAP and MS-CHAP logins use minor version 1.
    const authen = await this.client.request(TAC_PLUS_AUTHEN, TAC_PLUS_MINOR_VER_ONE, body, decodeAuthenReply, authenError);
    if (!authen.ok) return reject(request, `TACACS+ authentication unavailable: ${authen.reason}`);
    const server = `TACACS+ ${authen.host.options.address}`;
    const reply = authen.value;
    const replyMessage = reply.serverMsg || undefined;
    if (reply.status !== TAC_PLUS_AUTHEN_STATUS_PASS) {
      return { ...reject(request, `${server}: authentication ${statusName(reply.status)}${said(reply.serverMsg)}`), replyMessage, server };
    }
    const result: AuthResult = { accepted: true, reason: `${server}: PASS`, server };
    if (replyMessage) result.replyMessage = replyMessage;
    if (request.method === 'mschap-v2') result.reason += `; ${TACACS_NO_MPPE_NOTE}`;
    if (request.method === 'mschap-v1') result.reason += '; TACACS+ returns no MPPE keys: encryption cannot be keyed';
    if (!this.authorize) return result;

    // §6: authorization, starting with the server that authenticated.
    const authorBody = encodeAuthorRequest(authorizationRequest(request));
    const author = await this.client.request(
      TAC_PLUS_AUTHOR,
      TAC_PLUS_MINOR_VER_DEFAULT,
      authorBody,
      decodeAuthorResponse,
      authorError,
      authen.hostIndex,
    );
    if (!author.ok) return { ...reject(request, `TACACS+ authorization unavailable: ${author.reason}`), server };
    const response = author.value;
    const authorServer = `TACACS+ ${author.host.options.address}`;
    if (response.status !== TAC_PLUS_AUTHOR_STATUS_PASS_ADD && response.status !== TAC_PLUS_AUTHOR_STATUS_PASS_REPL) {
      return { ...reject(request, `${authorServer}: authorization ${authorStatusName(response.status)}${said(response.serverMsg)}`), server };
    }
    const applied = applyAuthorization(response.args);
    if ('refused' in applied) return { ...reject(request, `${authorServer}: authorization refused: ${applied.refused}`), server };
    return { ...result, ...applied };
  }
}

function reject(request: AuthRequest, reason: string): AuthResult {
  const result: AuthResult = { accepted: false, reason };
  if (request.method === 'mschap-v1' || request.method === 'mschap-v2') result.mschapError = MSCHAP_AUTH_FAILURE;
  return result;
}

/**
 * §4.4 and §5.4.3: ERROR means "as if the server could not be reached" (next host); PAP, CHAP
 * and MS-CHAP are a single START and REPLY (§5.4.2), so a request for more data is a protocol
 * error too. RESTART and FOLLOW count as FAIL.
 */
function authenError(reply: AuthenReply): string | undefined {
  if (reply.status === TAC_PLUS_AUTHEN_STATUS_ERROR) return `server ERROR${said(reply.serverMsg)}`;
  if (
    reply.status === TAC_PLUS_AUTHEN_STATUS_PASS ||
    reply.status === TAC_PLUS_AUTHEN_STATUS_FAIL ||
    reply.status === TAC_PLUS_AUTHEN_STATUS_RESTART ||
    reply.status === TAC_PLUS_AUTHEN_STATUS_FOLLOW
  ) {
    return undefined;
  }
  return `protocol error: status ${reply.status} in a single-packet login`;
}

function authorError(response: AuthorResponse): string | undefined {
  return response.status === TAC_PLUS_AUTHOR_STATUS_ERROR ? `server ERROR${said(response.serverMsg)}` : undefined;
}

function statusName(status: number): string {
  switch (status) {
    case TAC_PLUS_AUTHEN_STATUS_FAIL:
      return 'FAIL';
    case TAC_PLUS_AUTHEN_STATUS_RESTART:
      return 'RESTART (treated as FAIL)';
    case TAC_PLUS_AUTHEN_STATUS_FOLLOW:
      return 'FOLLOW (treated as FAIL)';
    default:
      return `status ${status}`;
  }
}

function authorStatusName(status: number): string {
  return status === 0x10 ? 'FAIL' : status === 0x21 ? 'FOLLOW (treated as FAIL)' : `status ${status}`;
}

function said(serverMsg: string): string {
  return serverMsg ? ` ("${serverMsg.slice(0, 200)}")` : '';
}
