// Updates a buggy proxy, a self-hosted Bot API server or a forged request may deliver (issue 13.8):
// each must be acknowledged and logged, never answered 500 (Telegram would resend it for ever) and
// never retried in polling mode.
const from = { id: 8801, is_bot: false, first_name: '测试' };
const chat = { id: 8801, type: 'private', first_name: '测试' };
const message = (fields: Record<string, unknown>) => ({ message_id: 1, date: 0, chat, from, ...fields });

/** [what is wrong, the update without its update_id]. */
export const MALFORMED_UPDATES: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['a message without chat', { message: { message_id: 1, date: 0, from, text: '你好' } }],
  ['text as a number', { message: message({ text: 12345 }) }],
  ['text as an object', { message: message({ text: { value: '你好' } }) }],
  ['text as null', { message: message({ text: null }) }],
  ['a caption as an array', { message: message({ caption: ['a'], photo: [{ file_id: 'p', width: 1, height: 1 }] }) }],
  ['chat as a string', { message: message({ chat: 'private', text: '你好' }) }],
  ['chat id missing', { message: message({ chat: { type: 'private' }, text: '你好' }) }],
  ['from id as an object', { message: message({ from: { id: { n: 1 }, is_bot: false }, text: '你好' }) }],
  ['the message as a string', { message: 'hello' }],
  ['the message as null', { message: null }],
  ['photo sizes not a list', { message: message({ photo: 'p1' }) }],
  ['a photo size without file_id', { message: message({ photo: [{ width: 1, height: 1 }] }) }],
  ['a document without file_id', { message: message({ document: { mime_type: 'image/jpeg' } }) }],
  ['a location without numbers', { message: message({ location: { latitude: '30.5', longitude: null } }) }],
  ['a venue without a location', { message: message({ venue: { title: 't', address: 'a' } }) }],
  ['an edit without chat', { edited_message: { message_id: 1, date: 0, edit_date: 1, from, text: '改' } }],
  [
    'a button press without from',
    {
      callback_query: { id: 'cq-x', chat_instance: 'x', data: 'd:confirm', message: { message_id: 1, date: 0, chat } },
    },
  ],
  [
    'button data as a number',
    { callback_query: { id: 'cq-y', from, chat_instance: 'x', data: 7, message: { message_id: 1, date: 0, chat } } },
  ],
  [
    'a button press on a chat without id',
    {
      callback_query: {
        id: 'cq-z',
        from,
        chat_instance: 'x',
        data: 'd:confirm',
        message: { message_id: 1, date: 0, chat: {} },
      },
    },
  ],
  ['a block without chat', { my_chat_member: { from, new_chat_member: { status: 'kicked' } } }],
];
