/** Plain options for the TACACS+ back end (the lead maps `aaa-server TAG protocol tacacs+` to them). */
import type { AuthType } from '../authenticator.js';

export interface TacacsHostOptions {
  /** Server address (dotted quad or host name). */
  address: string;
  /** TCP port; RFC 8907 §1 well-known port 49. */
  port?: number;
  /** Shared secret for body obfuscation (RFC 8907 §4.5); empty: no key, bodies sent in clear. */
  key: string;
  /** How long to wait for the connection and each reply before trying the next host. */
  timeoutMs: number;
}

export interface TacacsOptions {
  /** Tried in order; the next one on refusal, timeout, ERROR, or a bad key (RFC 8907 §4.4). */
  hosts: TacacsHostOptions[];
  /** Local address to connect from (the interface the PIX config names). */
  nasAddress?: string;
  /** Ask for Single Connection Mode (RFC 8907 §4.3); used only when the server agrees. */
  singleConnection?: boolean;
  /** Close a single-connection TCP session after this long without traffic (default 30 s). */
  idleCloseMs?: number;
  /** Methods offered to the PPP engine; default PAP and CHAP (MS-CHAP only if the server has it). */
  methods?: AuthType[];
  /** Ask for authorization `service=ppp protocol=ip` after a PASS (default true). */
  authorize?: boolean;
}

export const TACACS_DEFAULT_PORT = 49;
