import { describe, expect, it } from 'vitest';
import { encrypt, getSignature } from '@wecom/crypto';
import {
  CallbackRefusedError,
  callbackMessageKey,
  openCallback,
  sealCallbackReply,
  verifyCallbackUrl,
  type CallbackSecrets,
} from './callback-envelope.ts';
import { buildCallbackXml, parseCallbackXml } from './callback-xml.ts';

// A 43-character EncodingAESKey, as the admin console generates them.
const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const secrets: CallbackSecrets = { token: 'gridline-token', aesKey, receiveId: 'ww-corp-1' };
const stamp = { timestamp: '1796000000', nonce: 'n0nce' };

function post(inner: string, receiveId = secrets.receiveId) {
  const ciphertext = encrypt(aesKey, inner, receiveId);
  const body = buildCallbackXml({ ToUserName: receiveId, Encrypt: ciphertext, AgentID: '1000002' });
  const msg_signature = getSignature(secrets.token, stamp.timestamp, stamp.nonce, ciphertext);
  return { body, query: { ...stamp, msg_signature } };
}

const textMessage = buildCallbackXml({
  ToUserName: 'ww-corp-1',
  FromUserName: 'zhangsan',
  CreateTime: 1796000000,
  MsgType: 'text',
  Content: '人行道上有人摆摊 ]]> <b>',
  MsgId: '23456789012345678901',
});

describe('Tencent callback envelope', () => {
  it('opens a signed, encrypted message and keeps a 64-bit MsgId exact', () => {
    const { body, query } = post(textMessage);
    const fields = openCallback(secrets, query, body);
    expect(fields.Content).toBe('人行道上有人摆摊 ]]> <b>');
    expect(fields.MsgId).toBe('23456789012345678901');
    expect(callbackMessageKey(fields)).toBe('msg:23456789012345678901');
  });

  it('refuses a forged signature, a message for another corp, and plaintext when a key is set', () => {
    const { body, query } = post(textMessage);
    expect(() => openCallback(secrets, { ...query, msg_signature: 'f'.repeat(40) }, body)).toThrow(
      CallbackRefusedError,
    );
    const other = post(textMessage, 'ww-other-corp');
    expect(() => openCallback(secrets, other.query, other.body)).toThrow(CallbackRefusedError);
    const plainSig = getSignature(secrets.token, stamp.timestamp, stamp.nonce, '');
    expect(() => openCallback(secrets, { ...stamp, signature: plainSig }, textMessage)).toThrow(CallbackRefusedError);
  });

  it('checks plaintext Official Account messages by `signature`', () => {
    const plain: CallbackSecrets = { token: 't', receiveId: 'wx-app' };
    const signature = getSignature('t', stamp.timestamp, stamp.nonce, '');
    expect(openCallback(plain, { ...stamp, signature }, textMessage).FromUserName).toBe('zhangsan');
    expect(() => openCallback(plain, { ...stamp, signature: signature.replace(/.$/, '0') }, textMessage)).toThrow(
      CallbackRefusedError,
    );
  });

  it('answers the URL check for both platforms', () => {
    const echostr = encrypt(aesKey, '1616140317555161061', secrets.receiveId);
    const msg_signature = getSignature(secrets.token, stamp.timestamp, stamp.nonce, echostr);
    expect(verifyCallbackUrl(secrets, { ...stamp, echostr, msg_signature })).toBe('1616140317555161061');
    const signature = getSignature('t', stamp.timestamp, stamp.nonce, '');
    expect(verifyCallbackUrl({ token: 't', receiveId: 'x' }, { ...stamp, echostr: 'abc', signature })).toBe('abc');
    expect(() =>
      verifyCallbackUrl({ token: 't', receiveId: 'x' }, { ...stamp, echostr: 'abc', signature: 'x' }),
    ).toThrow(CallbackRefusedError);
  });

  it('seals a reply that the platform side can open', () => {
    const sealed = sealCallbackReply(secrets, textMessage, stamp.timestamp, stamp.nonce);
    const outer = parseCallbackXml(sealed);
    const query = { ...stamp, msg_signature: String(outer.MsgSignature) };
    expect(openCallback(secrets, query, sealed).Content).toBe('人行道上有人摆摊 ]]> <b>');
  });

  it('keys events by sender, time and event', () => {
    const fields = parseCallbackXml(
      buildCallbackXml({ FromUserName: 'u', CreateTime: 5, MsgType: 'event', Event: 'click', EventKey: 'todo' }),
    );
    expect(callbackMessageKey(fields)).toBe('evt:u:5:click:todo');
  });
});
