import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply } from 'fastify';

/**
 * GeoReport v2's two encodings. XML is required by the specification, JSON optional; both
 * carry the same data. XML is built by fast-xml-parser (which escapes every value), never by
 * joining strings with user data in them.
 */
export type Open311Format = 'xml' | 'json';

/** `requests.json` → ['requests', 'json']; null when the name has no supported format. */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(xml|json)$/i.exec(file);
  return m ? { name: m[1]!, format: m[2]!.toLowerCase() as Open311Format } : null;
}

/** The format an URL asks for; XML, the required one, when it names none. */
export function formatOfUrl(url: string): Open311Format {
  return /\.json$/i.test(url.split('?')[0] ?? '') ? 'json' : 'xml';
}

/** In XML a list is a wrapper element around repeated children, named as the specification names them. */
const CHILD_OF: Record<string, string> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

// Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xmlShape(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (Array.isArray(value)) {
    const items = value.map((v) => xmlShape(v));
    const child = CHILD_OF[key];
    return child ? { [child]: items } : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = xmlShape(v, k);
    return out;
  }
  return String(value);
}

const builder = new XMLBuilder({ format: true, ignoreAttributes: false, suppressEmptyNode: false });

export function toXml(root: string, content: unknown): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' }, [root]: xmlShape(content, root) });
}

const CONTENT_TYPE: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** A list (services, requests, errors): `<root><item/>…</root>` in XML, a bare array in JSON, as the spec's examples show. */
export function sendList(
  reply: FastifyReply,
  format: Open311Format,
  root: string,
  item: string,
  items: unknown[],
  status = 200,
) {
  reply.status(status).type(CONTENT_TYPE[format]);
  return reply.send(format === 'json' ? JSON.stringify(items) : toXml(root, { [item]: items }));
}

/** A single document (service_definition, discovery): `<root>…</root>` in XML, an object in JSON. */
export function sendDocument(reply: FastifyReply, format: Open311Format, root: string, doc: object) {
  reply.status(200).type(CONTENT_TYPE[format]);
  return reply.send(format === 'json' ? JSON.stringify(doc) : toXml(root, doc));
}

/** The specification's error document: `<errors><error><code/><description/></error></errors>`. */
export function sendError(reply: FastifyReply, format: Open311Format, status: number, description: string) {
  return sendList(reply, format, 'errors', 'error', [{ code: status, description }], status);
}
