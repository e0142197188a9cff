import { timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { buildCallbackXml, fieldText, parseCallbackXml, type CallbackFields } from './callback-xml.ts';

/**
 * The callback envelope both Tencent platforms use (企业微信 加解密方案, 公众号 消息加解密):
 * SHA-1 over the sorted token, timestamp, nonce (and ciphertext), and AES-256-CBC with the
 * EncodingAESKey, whose plaintext ends with the receiver's id (the CorpID or the AppID).
 */
export interface CallbackSecrets {
  token: string;
  /** The 43-character EncodingAESKey; absent for an Official Account in plaintext mode. */
  aesKey?: string;
  /** The id the ciphertext must name: the CorpID for WeCom, the AppID for an Official Account. */
  receiveId: string;
}

export interface CallbackQuery {
  msg_signature?: string;
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  encrypt_type?: string;
}

/** Signature, ciphertext or receiver wrong: the request is refused and nothing is processed. */
export class CallbackRefusedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CallbackRefusedError';
  }
}

function sameSignature(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

function open(secrets: CallbackSecrets, ciphertext: string): string {
  if (!secrets.aesKey) throw new CallbackRefusedError('encrypted message but no EncodingAESKey configured');
  let opened: { message: string; id: string };
  try {
    opened = decrypt(secrets.aesKey, ciphertext);
  } catch (err) {
    throw new CallbackRefusedError('ciphertext does not decrypt', { cause: err });
  }
  if (opened.id !== secrets.receiveId) throw new CallbackRefusedError('message is for another receiver');
  return opened.message;
}

function requireStamp(q: CallbackQuery): { timestamp: string; nonce: string } {
  if (!q.timestamp || !q.nonce) throw new CallbackRefusedError('timestamp and nonce are required');
  return { timestamp: q.timestamp, nonce: q.nonce };
}

/**
 * The URL check (GET with `echostr`): WeCom sends it encrypted under `msg_signature`, an Official
 * Account in plain under `signature`. Returns what must be echoed.
 */
export function verifyCallbackUrl(secrets: CallbackSecrets, q: CallbackQuery): string {
  const { timestamp, nonce } = requireStamp(q);
  if (!q.echostr) throw new CallbackRefusedError('echostr is required');
  if (q.msg_signature) {
    if (!sameSignature(getSignature(secrets.token, timestamp, nonce, q.echostr), q.msg_signature))
      throw new CallbackRefusedError('bad msg_signature');
    return open(secrets, q.echostr);
  }
  if (!sameSignature(getSignature(secrets.token, timestamp, nonce, ''), q.signature))
    throw new CallbackRefusedError('bad signature');
  return q.echostr;
}

/**
 * A posted message, checked and opened: the fields of the inner `<xml>`. An encrypted body
 * (`<Encrypt>`) must carry a valid `msg_signature`; a plaintext one (Official Account in plain
 * mode only, when no AES key is configured) a valid `signature`.
 */
export function openCallback(secrets: CallbackSecrets, q: CallbackQuery, body: string): CallbackFields {
  const { timestamp, nonce } = requireStamp(q);
  const outer = parseCallbackXml(body);
  const ciphertext = fieldText(outer, 'Encrypt');
  if (ciphertext) {
    if (!sameSignature(getSignature(secrets.token, timestamp, nonce, ciphertext), q.msg_signature))
      throw new CallbackRefusedError('bad msg_signature');
    return parseCallbackXml(open(secrets, ciphertext));
  }
  // With a key configured, plaintext would let anyone who knows the token skip the encryption.
  if (secrets.aesKey) throw new CallbackRefusedError('plaintext message but encryption is configured');
  if (!sameSignature(getSignature(secrets.token, timestamp, nonce, ''), q.signature))
    throw new CallbackRefusedError('bad signature');
  return outer;
}

/** A passive reply as the platform expects it back: encrypted and signed when a key is configured. */
export function sealCallbackReply(
  secrets: CallbackSecrets,
  replyXml: string,
  timestamp: string,
  nonce: string,
): string {
  if (!secrets.aesKey) return replyXml;
  const ciphertext = encrypt(secrets.aesKey, replyXml, secrets.receiveId);
  return buildCallbackXml({
    Encrypt: ciphertext,
    MsgSignature: getSignature(secrets.token, timestamp, nonce, ciphertext),
    TimeStamp: Number(timestamp),
    Nonce: nonce,
  });
}

/**
 * What makes a delivery the same message when the platform retries it (three times, 5 s apart):
 * the `MsgId`, or for events, which have none, the sender with the creation time and the event.
 */
export function callbackMessageKey(fields: CallbackFields): string {
  const msgId = fieldText(fields, 'MsgId') || fieldText(fields, 'MsgID');
  if (msgId) return `msg:${msgId}`;
  return [
    'evt',
    fieldText(fields, 'FromUserName'),
    fieldText(fields, 'CreateTime'),
    fieldText(fields, 'Event'),
    fieldText(fields, 'EventKey'),
  ].join(':');
}
