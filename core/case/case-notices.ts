import { combineMessages } from '../messaging/combine-fns.ts';
import type { Button, OutboundMessage } from '../messaging/outbound-types.ts';
import type { CaseRow, CaseTx, Notice } from './case-port.ts';
import type { MessageRenderer } from './case-messages.ts';
import { RESIDENT_STATUS_LABELS, type Actor } from './case-types.ts';
import { caseCard, cardActions } from './case-card-fns.ts';
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

/** How many of the report's photos a card carries (Telegram sends them as one album). */
export const CARD_PHOTOS = 3;

export interface StaffCardInput {
  personIds: number[];
  key: string;
  c: CaseRow;
  extra?: Record<string, string | number>;
  dedupeKey: string;
  now: Date;
  /** Buttons that are not case actions (批准缓办 / 不批准), before the card's own. */
  extraButtons?: Button[][];
  /** The photos this notice is about (a supplement's) instead of the report's first ones. */
  photos?: number[];
}

/**
 * A staff notice as case cards: the event's text with the card around it, and for each reader
 * exactly the actions they may take now. Readers who may do the same things share one notice
 * (the usual case: the street's team leads); when they differ, each group gets its own, keyed
 * apart so a re-run still sends each once.
 */
export async function staffCards(
  tx: Pick<CaseTx, 'actorsOf' | 'reportPhotos'>,
  m: MessageRenderer,
  i: StaffCardInput,
): Promise<Notice[]> {
  const readers = await tx.actorsOf(i.personIds);
  if (!readers.length) return [];
  const photos = i.photos ?? (await tx.reportPhotos(i.c.id, CARD_PHOTOS));
  const text = message(m, i.key, i.c, i.extra).text;
  const groups = new Map<string, Actor[]>();
  for (const a of readers) {
    const sig = cardActions(a, i.c).join('-') || 'none';
    const g = groups.get(sig);
    if (g) g.push(a);
    else groups.set(sig, [a]);
  }
  const mapUrl = m.caseUrl?.(i.c.number);
  return [...groups].map(([sig, people]) => ({
    personIds: people.map((p) => p.personId),
    caseId: i.c.id,
    dedupeKey: groups.size === 1 ? i.dedupeKey : `${i.dedupeKey}:${sig}`,
    message: caseCard({
      c: i.c,
      text,
      actor: people[0]!,
      view: 'staff',
      now: i.now,
      photos,
      ...(mapUrl ? { mapUrl } : {}),
      ...(i.extraButtons ? { extraButtons: i.extraButtons } : {}),
    }),
  }));
}

/**
 * A notice to several people whose case-action buttons (c:…) are kept only for those who may
 * take them: a follower of a merged duplicate is not offered 已解决 / 仍未解决 they would be
 * refused. Other buttons (评价) stay. One notice per group of people who see the same buttons.
 */
export async function notifyEach(tx: CaseTx, n: Notice, c: CaseRow): Promise<void> {
  const rows = n.message.buttons;
  const caseButtons = rows?.flat().filter((b) => b.id.startsWith('c:')) ?? [];
  if (!caseButtons.length) return tx.notify(n);
  const readers = await tx.actorsOf(n.personIds);
  const groups = new Map<string, { people: number[]; buttons: Button[][] }>();
  for (const a of readers) {
    const allowed = new Set(cardActions(a, c).map((x) => `c:${x}:${c.id}`));
    const buttons = rows!
      .map((row) => row.filter((b) => !b.id.startsWith('c:') || allowed.has(b.id)))
      .filter((r) => r.length);
    const sig = JSON.stringify(buttons);
    const g = groups.get(sig);
    if (g) g.people.push(a.personId);
    else groups.set(sig, { people: [a.personId], buttons });
  }
  let i = 0;
  for (const g of groups.values()) {
    const { buttons: _old, ...rest } = n.message;
    await tx.notify({
      ...n,
      personIds: g.people,
      // The first group keeps the key: an unchanged notice is deduplicated as before.
      dedupeKey: i++ === 0 ? n.dedupeKey : `${n.dedupeKey}:${i}`,
      message: g.buttons.length ? { ...rest, buttons: g.buttons } : rest,
    });
  }
}

/** staffCards, queued. */
export async function notifyStaff(tx: CaseTx, m: MessageRenderer, i: StaffCardInput): Promise<void> {
  for (const n of await staffCards(tx, m, i)) await tx.notify(n);
}

const btn = (label: string, action: string, c: CaseRow): Button => ({ id: `c:${action}:${c.id}`, label });

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

// Free texts a handler or a reporter wrote; the rest are labels the system composed.
const FREE_TEXT_VARS = ['text', 'outcome', 'note', 'reason'];

/**
 * Messages to reporters go to every follower of the case (residents whose duplicate reports were
 * merged into it), so their free texts lose names, phone numbers, IDs and plates, the original
 * reporter's name included.
 */
export function residentVars(c: CaseRow, vars: Record<string, string | number>): Record<string, string | number> {
  const names = c.reporterName ? [c.reporterName] : [];
  const out = { ...vars };
  for (const k of FREE_TEXT_VARS) {
    const v = out[k];
    if (typeof v === 'string' && v) out[k] = redactPersonalData(v, { names });
  }
  return out;
}

export function message(
  m: MessageRenderer,
  key: string,
  c: CaseRow,
  extra?: Record<string, string | number>,
  buttons?: Button[][],
): OutboundMessage {
  const vars = caseVars(c, extra);
  return {
    text: m.t(key, key.startsWith('reporter.') ? residentVars(c, vars) : vars),
    ...(buttons ? { buttons } : {}),
  };
}

/**
 * The notices one event causes, with a person who would get several (the reporter who is also
 * the street's team lead, a follower who also handles the case) getting them as one message
 * where combineMessages allows. Everyone else gets the notices as they were, under their keys;
 * a combined notice's key joins the keys it replaces, so re-running the step still sends it once.
 */
export function combineNotices(notices: Notice[]): Notice[] {
  const reaching = new Map<number, number[]>();
  notices.forEach((n, i) => {
    for (const p of new Set(n.personIds)) {
      const list = reaching.get(p);
      if (list) list.push(i);
      else reaching.set(p, [i]);
    }
  });
  const kept: number[][] = notices.map(() => []);
  const merged = new Map<string, { first: number; notice: Notice }>();
  for (const [person, idx] of reaching) {
    const combined = idx.length > 1 ? combineMessages(idx.map((i) => notices[i]!.message)) : [];
    if (combined.length !== 1) {
      for (const i of idx) kept[i]!.push(person);
      continue;
    }
    const key = idx.join(',');
    const m = merged.get(key);
    if (m) m.notice.personIds.push(person);
    else
      merged.set(key, {
        first: idx[0]!,
        notice: {
          personIds: [person],
          message: combined[0]!,
          dedupeKey: idx.map((i) => notices[i]!.dedupeKey).join('+'),
          caseId: notices[idx[0]!]!.caseId,
        },
      });
  }
  const out: Array<{ first: number; notice: Notice }> = [];
  notices.forEach((n, i) => {
    if (kept[i]!.length) out.push({ first: i, notice: { ...n, personIds: kept[i]! } });
  });
  out.push(...merged.values());
  return out.sort((a, b) => a.first - b.first).map((o) => o.notice);
}
