import crypto from 'node:crypto';
import { validateHeaderName, validateHeaderValue, type IncomingHttpHeaders } from 'node:http';
import type { SocketTarget } from './socket-target.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** RFC 6455 §4.1: a subprotocol is an HTTP token. */
const SUBPROTOCOL = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;
/** Set by the handshake itself: a script's header of that name is dropped, as ws drops it. */
const OWN_HEADERS = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version']);
const UPGRADE_HEADERS = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n';

/** The opening handshake as the client sends it (RFC 6455 §4.1), and the key its answer must be derived from. */
export interface UpgradeRequest {
  /** The request line and headers; every character is a byte (latin1), as Node's http writes them. */
  text: string;
  key: string;
}

/**
 * The upgrade request: Host, Connection, Upgrade, the key and version, the subprotocols when there are any, then
 * the script's headers (User-Agent among them) and, for credentials in the URL, Basic authorization unless the
 * script sent its own. It throws, as ws and Node's http do, on an invalid or repeated subprotocol and on a header
 * that is not valid HTTP.
 */
export function upgradeRequest(target: SocketTarget, protocols: readonly string[], headers: Readonly<Record<string, string>>): UpgradeRequest {
  checkProtocols(protocols);
  const key = randomKey();
  let host = target.hostHeader;
  let extra = '';
  let hasAuthorization = false;
  for (const name in headers) {
    const value = headers[name]!;
    validateHeaderName(name);
    validateHeaderValue(name, value);
    const lower = name.toLowerCase();
    if (OWN_HEADERS.has(lower) || (lower === 'sec-websocket-protocol' && protocols.length > 0)) continue;
    if (lower === 'host') {
      host = value;
      continue;
    }
    if (lower === 'authorization') hasAuthorization = true;
    extra += `${name}: ${value}\r\n`;
  }
  if (!hasAuthorization && target.authorization !== undefined) extra += `Authorization: ${target.authorization}\r\n`;
  const protocolHeader = protocols.length > 0 ? `Sec-WebSocket-Protocol: ${protocols.join(',')}\r\n` : '';
  const text = `${target.requestLine}Host: ${host}\r\n${UPGRADE_HEADERS}Sec-WebSocket-Key: ${key}\r\n${protocolHeader}${extra}\r\n`;
  return { text, key };
}

/**
 * Whether the answer upgrades the connection, as Node's HTTP parser decides it: a 101 with an Upgrade header and
 * Connection: upgrade. Any other answer failed the handshake ("bad handshake", with its status), as with ws.
 */
export function isUpgradeAnswer(status: number, headers: IncomingHttpHeaders): boolean {
  return status === 101 && headers.upgrade !== undefined && hasToken(headers.connection, 'upgrade');
}

/**
 * What is wrong with an upgrade answer, in ws's words, or undefined when it completes the handshake (RFC 6455
 * §4.1): it upgrades to websocket, the accept key is derived from ours, the subprotocol is one we offered (and there
 * is one when we offered any, as ws requires), and no extension is announced (none is offered).
 */
export function upgradeAnswerError(headers: IncomingHttpHeaders, key: string, protocols: readonly string[]): string | undefined {
  const upgrade = headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') return 'Invalid Upgrade header';
  if (headers['sec-websocket-accept'] !== acceptFor(key)) return 'Invalid Sec-WebSocket-Accept header';
  const protocol = headers['sec-websocket-protocol'];
  if (protocol !== undefined) {
    if (protocols.length === 0) return 'Server sent a subprotocol but none was requested';
    if (!protocols.includes(protocol)) return 'Server sent an invalid subprotocol';
  } else if (protocols.length > 0) {
    return 'Server sent no subprotocol';
  }
  if (headers['sec-websocket-extensions'] !== undefined) return 'Server sent a Sec-WebSocket-Extensions header but no extension was requested';
  return undefined;
}

/** Sec-WebSocket-Accept for a key: base64 of the SHA-1 of the key and the RFC's GUID. */
export function acceptFor(key: string): string {
  // The one-shot crypto.hash (Node 20.12) costs a third of a Hash object; older Node 20 has only the latter.
  return typeof crypto.hash === 'function' ? crypto.hash('sha1', key + GUID, 'base64') : crypto.createHash('sha1').update(key + GUID).digest('base64');
}

function checkProtocols(protocols: readonly string[]): void {
  for (let index = 0; index < protocols.length; index++) {
    const protocol = protocols[index]!;
    if (!SUBPROTOCOL.test(protocol) || protocols.indexOf(protocol) !== index) throw new SyntaxError('An invalid or duplicated subprotocol was specified');
  }
}

function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  for (const part of value.split(',')) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/** Random bytes are drawn from the crypto RNG in batches: one call per 64 handshakes rather than per handshake. */
const KEY_BYTES = 16;
const keyPool = Buffer.allocUnsafe(KEY_BYTES * 64);
let keyOffset = keyPool.length;

/** Sec-WebSocket-Key: 16 random bytes in base64, never used twice. */
function randomKey(): string {
  if (keyOffset === keyPool.length) {
    crypto.randomFillSync(keyPool);
    keyOffset = 0;
  }
  const key = keyPool.toString('base64', keyOffset, keyOffset + KEY_BYTES);
  keyOffset += KEY_BYTES;
  return key;
}
