import { randomBytes } from 'node:crypto';
import { FILE_BYTES, FileData, describeType } from './file-data.ts';

/** A request body ready to send, and the Content-Type it implies (forms and multipart). */
export interface EncodedBody {
  data: string | Buffer;
  contentType: string | undefined;
}

/**
 * k6's request bodies: a string as it is, an ArrayBuffer (or a view) as bytes, and an object as a form,
 * `application/x-www-form-urlencoded`, or `multipart/form-data` when a value is an http.file().
 * Returns undefined for no body; throws for a type k6 refuses.
 */
export function encodeBody(body: unknown): EncodedBody | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return { data: body, contentType: undefined };
  if (body instanceof ArrayBuffer) return { data: Buffer.from(body), contentType: undefined };
  if (ArrayBuffer.isView(body)) return { data: Buffer.from(body.buffer, body.byteOffset, body.byteLength), contentType: undefined };
  if (typeof body === 'object' && !Array.isArray(body) && !(body instanceof FileData)) {
    const fields = body as Record<string, unknown>;
    return Object.values(fields).some((value) => value instanceof FileData) ? multipart(fields) : urlEncodedForm(fields);
  }
  throw new Error(`unknown request body type ${describeType(body)}`);
}

/** Go's url.Values.Encode(): keys sorted, values query-escaped, arrays repeated. */
function urlEncodedForm(fields: Record<string, unknown>): EncodedBody {
  const pairs: string[] = [];
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    const escapedKey = queryEscape(key);
    if (Array.isArray(value)) for (const item of value) pairs.push(`${escapedKey}=${queryEscape(formValue(item))}`);
    else pairs.push(`${escapedKey}=${queryEscape(formValue(value))}`);
  }
  return { data: pairs.join('&'), contentType: 'application/x-www-form-urlencoded' };
}

function multipart(fields: Record<string, unknown>): EncodedBody {
  const boundary = randomBytes(30).toString('hex');
  const chunks: Buffer[] = [];
  let first = true;
  for (const [key, value] of Object.entries(fields)) {
    const head = value instanceof FileData
      ? `Content-Disposition: form-data; name="${escapeQuotes(key)}"; filename="${escapeQuotes(value.filename)}"\r\nContent-Type: ${value.content_type}`
      : `Content-Disposition: form-data; name="${escapeQuotes(key)}"`;
    chunks.push(Buffer.from(`${first ? '' : '\r\n'}--${boundary}\r\n${head}\r\n\r\n`));
    chunks.push(value instanceof FileData ? value[FILE_BYTES] : Buffer.from(formValue(value)));
    first = false;
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { data: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A form value as Go's %v prints the exported JS value. */
function formValue(value: unknown): string {
  return value === null || value === undefined ? '<nil>' : String(value);
}

/** Go's url.QueryEscape: everything but letters, digits and -_.~ is escaped; a space becomes +. */
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function escapeQuotes(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
