import type { Button, OutboundMessage } from '../messaging/outbound-types.ts';
import type { CaseRow, CaseTx } from './case-port.ts';
import type { MessageRenderer } from './case-messages.ts';
import { RESIDENT_STATUS_LABELS } from './case-types.ts';
import { formatShanghai, handlerName, placeOf, shorten, whyHandled } from './case-format-fns.ts';
import { redactPersonalData } from './anonymise-fns.ts';

/** Placeholders every case message may use. The reporter's identity is never among them. */
export function caseVars(c: CaseRow, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    number: c.number,
    matter: c.item ? c.item.name : '待确定',
    handler: handlerName(c),
    due: formatShanghai(c.dueAt),
    place: placeOf(c),
    text: shorten(c.text),
    legalBasis: c.item?.legalBasis ?? '—',
    // Only reporters' messages name the status.
    status: RESIDENT_STATUS_LABELS[c.status],
    // Typed by staff, read in chats: a third party's phone number is hidden as on the public pages.
    outcome: c.outcome ? redactPersonalData(c.outcome) : '',
    why: c.item ? whyHandled(c.item.name, handlerName(c), c.item.legalBasis) : '',
    urgentMark: c.urgent ? '（紧急）' : '',
    note: '',
    ...extra,
  };
}

/** A 办结 / 结案 notice with the resolution photos (channels send their EXIF-free copies). */
export async function outcomeMessage(
  tx: Pick<CaseTx, 'resolutionPhotos'>,
  m: MessageRenderer,
  key: string,
  c: CaseRow,
  buttons?: Button[][],
): Promise<OutboundMessage> {
  const photos = await tx.resolutionPhotos(c.id);
  return { ...message(m, key, c, {}, buttons), ...(photos.length ? { photoAttachmentIds: photos } : {}) };
}

const btn = (label: string, action: string, c: CaseRow): Button => ({ id: `c:${action}:${c.id}`, label });

/** Buttons for whoever holds the case, by level: a department gets 接收/退回/办结. */
export function handlerButtons(c: CaseRow): Button[][] {
  if (c.handling === 'department')
    return [[btn('接收', 'accept', c), btn('退回', 'return', c), btn('办结', 'resolve', c)]];
  return [
    [btn('接单', 'accept', c), btn('转派', 'assign', c), btn('退回', 'return', c)],
    [btn('上报区局', 'escalate', c), btn('办结', 'resolve', c)],
  ];
}

export function triageButtons(c: CaseRow): Button[][] {
  return [[btn('立案派遣', 'register', c), btn('移送部门', 'refer', c), btn('不予受理', 'reject', c)]];
}

export function verifyButtons(c: CaseRow): Button[][] {
  return [[btn('已解决', 'verify', c), btn('仍未解决', 'fail_verification', c)]];
}

export function ratingButtons(c: CaseRow): Button[][] {
  return [
    [
      { id: `r:satisfied:${c.id}`, label: '满意' },
      { id: `r:basic:${c.id}`, label: '基本满意' },
      { id: `r:unsatisfied:${c.id}`, label: '不满意' },
    ],
  ];
}

export function message(
  m: MessageRenderer,
  key: string,
  c: CaseRow,
  extra?: Record<string, string | number>,
  buttons?: Button[][],
): OutboundMessage {
  return { text: m.t(key, caseVars(c, extra)), ...(buttons ? { buttons } : {}) };
}
