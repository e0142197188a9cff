import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/**
 * The message XML WeCom and the Official Account post. Values stay strings: a `MsgId` is a 64-bit
 * integer that a JavaScript number would round, and `Location_X` must keep its digits as sent.
 */
export type CallbackFields = Record<string, unknown>;

const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  processEntities: true,
  // A document type could declare entities; none of Tencent's messages have one.
  ignoreDeclaration: true,
});

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false, suppressEmptyNode: false });

export class CallbackXmlError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CallbackXmlError';
  }
}

/** The children of the root `<xml>` element. Throws CallbackXmlError for anything else. */
export function parseCallbackXml(xml: string): CallbackFields {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new CallbackXmlError('malformed XML', { cause: err });
  }
  const root = (doc as { xml?: unknown }).xml;
  if (!root || typeof root !== 'object') throw new CallbackXmlError('no <xml> root element');
  return root as CallbackFields;
}

/** One text field of a parsed message ('' when absent or not text). */
export function fieldText(fields: CallbackFields, name: string): string {
  const v = fields[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

type XmlValue = string | number | XmlObject | XmlObject[];
interface XmlObject {
  [k: string]: XmlValue;
}

/**
 * `<xml>` with the given children. Strings go in CDATA as the documentation's examples do (the
 * builder splits a `]]>` inside a value across two sections); numbers go as they are.
 */
export function buildCallbackXml(fields: XmlObject): string {
  return builder.build({ xml: wrapStrings(fields) }) as string;
}

function wrapStrings(v: XmlValue): unknown {
  if (typeof v === 'string') return { __cdata: v };
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(wrapStrings);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrapStrings(x)]));
}
