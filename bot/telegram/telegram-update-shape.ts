// Telegram's updates are typed, but what arrives over the wire is whatever the sender wrote: a
// buggy proxy, a self-hosted Bot API server or a forged request (with the secret) can send a
// message without `chat`, or `text` as a number. Such an update can never be handled, however
// often it is delivered, so it is recognised here, before anything reads it, and acknowledged.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '');
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const optional = (o: Obj, key: string, ok: (v: unknown) => boolean) =>
  !(key in o) || o[key] === undefined || ok(o[key]);
const isStr = (v: unknown) => typeof v === 'string';

function chatProblem(chat: unknown): string | null {
  if (!isObj(chat)) return 'chat missing or not an object';
  if (!isId(chat.id)) return 'chat.id missing';
  if (!isStr(chat.type)) return 'chat.type missing';
  return null;
}

const fromProblem = (from: unknown): string | null => (isObj(from) && isId(from.id) ? null : 'from without id');

const fileOk = (v: unknown) => isObj(v) && isStr(v.file_id) && v.file_id !== '';
const pointOk = (v: unknown) => isObj(v) && isNum(v.latitude) && isNum(v.longitude);

function messageProblem(m: unknown): string | null {
  if (!isObj(m)) return 'message not an object';
  const chat = chatProblem(m.chat);
  if (chat) return chat;
  if (!optional(m, 'from', (f) => !fromProblem(f))) return 'from without id';
  if (!optional(m, 'text', isStr)) return 'text not a string';
  if (!optional(m, 'caption', isStr)) return 'caption not a string';
  if (!optional(m, 'media_group_id', isStr)) return 'media_group_id not a string';
  if (!optional(m, 'photo', (p) => Array.isArray(p) && p.length > 0 && p.every(fileOk))) return 'photo sizes invalid';
  if (!optional(m, 'document', fileOk)) return 'document without file_id';
  if (!optional(m, 'location', pointOk)) return 'location without coordinates';
  if (!optional(m, 'venue', (v) => isObj(v) && pointOk(v.location))) return 'venue without location';
  return null;
}

function callbackProblem(q: unknown): string | null {
  if (!isObj(q)) return 'callback_query not an object';
  if (!isStr(q.id)) return 'callback_query.id missing';
  if (fromProblem(q.from)) return 'callback_query.from without id';
  if (!optional(q, 'data', isStr)) return 'callback_query.data not a string';
  if (!optional(q, 'message', (m) => isObj(m) && (!('chat' in m) || !chatProblem(m.chat))))
    return 'callback_query.message without a valid chat';
  return null;
}

/** Why an update cannot be read (for the log), or null when its parts we read have their types. */
export function malformedReason(update: unknown): string | null {
  if (!isObj(update)) return 'update not an object';
  if ('message' in update) return messageProblem(update.message);
  if ('edited_message' in update) return messageProblem(update.edited_message);
  if ('callback_query' in update) return callbackProblem(update.callback_query);
  if ('my_chat_member' in update) {
    const c = update.my_chat_member;
    if (!isObj(c)) return 'my_chat_member not an object';
    return (
      chatProblem(c.chat) ??
      (isObj(c.new_chat_member) && isStr(c.new_chat_member.status) ? null : 'new_chat_member invalid')
    );
  }
  return null;
}

/** The id of a button press to answer, if it can be read even from a malformed update. */
export function readableCallbackId(update: unknown): string | undefined {
  if (!isObj(update) || !isObj(update.callback_query)) return undefined;
  const id = update.callback_query.id;
  return typeof id === 'string' && id ? id : undefined;
}
