// A 公众号 callback (opened XML fields) → the conversation core's InboundMessage. Photos and voice
// recordings are fetched through media/get and stored as evidence here, before the core sees
// them, as the other channels do. Residents only: staff commands never come through the 公众号.
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import { PhotoRejectedError } from '../../core/evidence/photo-errors.ts';
import { callbackMessageKey } from '../tencent/callback-envelope.ts';
import { fieldText, type CallbackFields } from '../tencent/callback-xml.ts';
import type { IdentifySender, InboundMessage } from '../inbound-types.ts';
import { parseWeChatCommand } from '../wechat/wechat-text-fns.ts';
import type { BudgetKind } from './mp-budget-fns.ts';
import { MpApiError } from './mp-errors.ts';

export type MpInbound =
  | { kind: 'message'; message: InboundMessage; budget: BudgetKind }
  /** Answer without the conversation core (a refused photo, a staff command). */
  | { kind: 'notice'; openid: string; key: string; text: string; budget: BudgetKind }
  | { kind: 'unsubscribe'; openid: string }
  | { kind: 'ignore'; reason: string };

export interface MpInboundDeps {
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice'>;
  identify: IdentifySender;
  /** media/get, bounded by PHOTO_MAX_BYTES. */
  download(mediaId: string): Promise<Buffer>;
}

/** The menu's CLICK keys (see mp-menu.ts) and what each asks of the conversation. */
export const MENU_COMMANDS: Record<string, string> = { MY_REPORTS: 'my', HELP: 'help', START: 'start' };

/** Staff work in 企业微信 or on the dashboard: these commands are not answered here. */
const STAFF_COMMANDS = new Set(['bind', 'queue', 'patrol', 'login']);
export const RESIDENTS_ONLY = '公众号仅供居民反映问题、查询进度。工作人员请使用企业微信或网页工作台办理案件。';

const UNSUPPORTED: Record<string, string> = {
  video: '视频',
  shortvideo: '小视频',
  link: '链接',
  file: '文件',
  music: '音乐',
};

const RECEIVE_FAILED = '照片接收失败，请稍后重新发送。';

export async function readMpCallback(fields: CallbackFields, deps: MpInboundDeps): Promise<MpInbound> {
  const openid = fieldText(fields, 'FromUserName');
  if (!openid) return { kind: 'ignore', reason: 'no sender' };
  const key = callbackMessageKey(fields);
  const base: InboundMessage = { channel: 'mp', chatId: openid, userId: openid, updateId: key };
  const type = fieldText(fields, 'MsgType');
  const msg = (extra: Partial<InboundMessage>, budget: BudgetKind = 'message'): MpInbound => ({
    kind: 'message',
    message: { ...base, ...extra },
    budget,
  });

  if (type === 'event') return readEvent(fields, base, openid);
  if (type === 'text') {
    const text = fieldText(fields, 'Content').trim();
    if (!text) return { kind: 'ignore', reason: 'empty text' };
    const command = parseWeChatCommand(text);
    if (command && STAFF_COMMANDS.has(command.name))
      return { kind: 'notice', openid, key, text: RESIDENTS_ONLY, budget: 'message' };
    return msg(command ? { command } : { text });
  }
  if (type === 'location') {
    const lat = Number(fieldText(fields, 'Location_X'));
    const lng = Number(fieldText(fields, 'Location_Y'));
    const label = fieldText(fields, 'Label').trim();
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || (lat === 0 && lng === 0))
      return label ? msg({ text: label }) : msg({ unsupported: '位置（无法读取坐标，请直接输入详细地址）' });
    // WeChat's map gives GCJ-02; the core converts it like the Wechaty channel's locations.
    return msg({ location: { lat, lng, crs: 'gcj02', ...(label ? { address: label } : {}) } });
  }
  if (type === 'image') {
    const mediaId = fieldText(fields, 'MediaId');
    if (!mediaId) return { kind: 'notice', openid, key, text: RECEIVE_FAILED, budget: 'message' };
    try {
      const sender = await deps.identify(base);
      const stored = await deps.evidence.ingest(await deps.download(mediaId), {
        draftKey: `mp:${openid}:${openid}`,
        uploadedById: sender.personId,
      });
      return msg({
        photos: [{ attachmentId: stored.attachmentId, exifLat: stored.exifLat, exifLng: stored.exifLng }],
        ...(sender.isNew ? { newcomer: true } : {}),
      });
    } catch (err) {
      if (err instanceof PhotoRejectedError)
        return { kind: 'notice', openid, key, text: err.message, budget: 'message' };
      // WeChat refused the media (expired, invalid): asking again cannot help. A network failure
      // is thrown, answered 500, and WeChat delivers the message again.
      if (err instanceof MpApiError) return { kind: 'notice', openid, key, text: RECEIVE_FAILED, budget: 'message' };
      throw err;
    }
  }
  if (type === 'voice') {
    // With speech recognition on (接口权限 → 接收语音识别结果) WeChat sends the words too.
    const transcript = fieldText(fields, 'Recognition').trim();
    if (transcript) return msg({ voice: { attachmentId: null, transcript } });
    return msg({ voice: { attachmentId: await keepVoice(fields, base, deps) } });
  }
  const kind = UNSUPPORTED[type];
  if (kind) return msg({ unsupported: kind });
  return { kind: 'ignore', reason: `type ${type}` };
}

/** The recording as evidence; null when it cannot be fetched or read (the core then asks for text). */
async function keepVoice(fields: CallbackFields, base: InboundMessage, deps: MpInboundDeps): Promise<number | null> {
  const mediaId = fieldText(fields, 'MediaId');
  if (!mediaId) return null;
  try {
    const sender = await deps.identify(base);
    const kept = await deps.evidence.ingestVoice(await deps.download(mediaId), {
      uploadedById: sender.personId,
      draftKey: `mp:${base.chatId}:${base.userId}`,
    });
    return kept.attachmentId;
  } catch (err) {
    if (err instanceof PhotoRejectedError || err instanceof MpApiError) return null;
    throw err;
  }
}

function readEvent(fields: CallbackFields, base: InboundMessage, openid: string): MpInbound {
  const event = fieldText(fields, 'Event').toLowerCase();
  const key = fieldText(fields, 'EventKey');
  if (event === 'subscribe')
    return { kind: 'message', message: { ...base, command: { name: 'start', args: '' } }, budget: 'event' };
  if (event === 'unsubscribe') return { kind: 'unsubscribe', openid };
  if (event === 'click') {
    const name = MENU_COMMANDS[key];
    if (!name) return { kind: 'ignore', reason: `menu key ${key}` };
    return { kind: 'message', message: { ...base, command: { name, args: '' } }, budget: 'event' };
  }
  // VIEW opens a page (the H5 chat, the power list): nothing to answer in the chat. LOCATION is
  // reported by the client on its own while the account is open: where the follower is, not
  // where a problem is, so it never becomes a report's location without being sent on purpose.
  return { kind: 'ignore', reason: `event ${event}` };
}
