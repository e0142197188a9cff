import type { Button, CaseCardFields, OutboundMessage } from '../messaging/outbound-types.ts';
import type { CaseRow } from './case-port.ts';
import {
  ACTION_LABELS,
  RESIDENT_STATUS_LABELS,
  STATUS_LABELS,
  type ActionInput,
  type Actor,
  type CaseAction,
  type CaseSnapshot,
} from './case-types.ts';
import { formatShanghai, placeOf, shorten } from './case-format-fns.ts';
import { isOverdue } from './case-visibility-fns.ts';
import { refusalFor } from './transition-rules-fns.ts';

/**
 * Every action, in the order a card shows them: the next step of the loop first (接单, 立案派遣,
 * 办结, 核查), then handing the case on, then the rarer ones.
 */
export const CARD_ACTION_ORDER: readonly CaseAction[] = [
  'accept',
  'register',
  'resolve',
  'verify',
  'fail_verification',
  'assign',
  'return',
  'escalate',
  'refer',
  'request_postponement',
  'merge',
  'reject',
  'reopen',
];

/**
 * Input that satisfies every action's required fields: a card asks whether the person may take
 * the action now, not whether they have typed its reason yet (the chat asks for that after).
 */
export const ANY_INPUT: ActionInput = {
  note: 'x',
  mode721: 'service',
  itemCode: 'x',
  streetName: 'x',
  departmentName: 'x',
  assigneeId: 1,
  targetCaseNumber: 'x',
  newDueAt: 'x',
};

/** Exactly the actions this person may take on this case now: those the rules do not refuse. */
export function cardActions(actor: Actor, c: CaseSnapshot): CaseAction[] {
  return CARD_ACTION_ORDER.filter((a) => refusalFor(a, actor, c, ANY_INPUT) === null);
}

/** A department 接收s a referral; a resident answers 已解决 / 仍未解决, not 核查. */
function actionLabel(action: CaseAction, actor: Actor, c: CaseSnapshot): string {
  if (action === 'accept' && c.handling === 'department') return '接收';
  // What the bureau holds past sorting (escalated, or a department's with nobody bound) it sends on to a street.
  if (action === 'register' && c.handling === 'district' && c.status !== 'triage') return '派遣街道';
  if (actor.role === 'resident' && action === 'verify') return '已解决';
  if (actor.role === 'resident' && action === 'fail_verification') return '仍未解决';
  return ACTION_LABELS[action];
}

const ROW = 3;

/** The card's buttons for this reader, three to a row. */
export function cardButtons(actor: Actor, c: CaseSnapshot): Button[][] {
  const buttons = cardActions(actor, c).map((a) => ({ id: `c:${a}:${c.id}`, label: actionLabel(a, actor, c) }));
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += ROW) rows.push(buttons.slice(i, i + ROW));
  return rows;
}

/** How much of the case the reader sees (see case-visibility-fns.ts caseView). */
export type CardView = 'staff' | 'reporter' | 'follower';

export interface CardInput {
  c: CaseRow;
  /** What happened, as the event's message says it (the card's first lines). */
  text: string;
  /** The reader; their buttons are computed for them. Null: a card without actions. */
  actor: Actor | null;
  view: CardView;
  now: Date;
  /** The first photos of the report (not sent to followers: a neighbour's photos stay theirs). */
  photos?: number[];
  /** The case's page with its map (the dashboard's /cases/:number). */
  mapUrl?: string;
  /** Buttons that are not case actions (批准缓办, 评价), shown before the card's own. */
  extraButtons?: Button[][];
  /** Leaves the actions out (a reporter's message carries its own 已解决 / 评价 buttons). */
  noActions?: boolean;
}

/** Lines a card always has; a template that already has a line of that name keeps its own. */
function cardLines(i: CardInput): Array<[string, string | null]> {
  const { c, view } = i;
  const open = ['triage', 'dispatched', 'accepted'].includes(c.status);
  const overdue = isOverdue(c, i.now);
  const status = view === 'staff' ? STATUS_LABELS[c.status] : RESIDENT_STATUS_LABELS[c.status];
  return [
    // In triage the matter is only the system's guess until a person registers it.
    ['事项', c.item ? `${c.item.name}${c.status === 'triage' ? '（待确认）' : ''}` : '待确定'],
    // A follower learns the street, not the exact place of someone else's report.
    ['地点', view === 'follower' ? (c.streetName ?? '江汉区') : placeOf(c)],
    ['地图', view === 'staff' && i.mapUrl ? i.mapUrl : null],
    ['内容', view === 'follower' ? null : shorten(c.text)],
    ['时限', open && c.dueAt ? `${formatShanghai(c.dueAt)}${overdue ? '（已逾期）' : ''}` : null],
    ['状态', status],
  ];
}

/**
 * A message about one case, as every channel shows it: the event's text, then what the card
 * adds (matter, place, map link, the reporter's words, deadline, state), the first photos of the
 * report, the case's point as a pin, and exactly the actions the reader may take now.
 */
export function caseCard(i: CardInput): OutboundMessage {
  const { c, view } = i;
  const lines = [i.text.trim()];
  for (const [label, value] of cardLines(i)) {
    if (value !== null && !i.text.includes(`${label}：`)) lines.push(`${label}：${value}`);
  }
  const own = i.actor && !i.noActions ? cardButtons(i.actor, c) : [];
  const buttons = [...(i.extraButtons ?? []), ...own];
  const point = view !== 'follower' && c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : null;
  const photos = view === 'follower' ? [] : (i.photos ?? []);
  const card: CaseCardFields = {
    caseId: c.id,
    number: c.number,
    title: c.item?.name ?? '待确定事项',
    status: view === 'staff' ? STATUS_LABELS[c.status] : RESIDENT_STATUS_LABELS[c.status],
    place: view === 'follower' ? (c.streetName ?? '江汉区') : placeOf(c),
    ...(view === 'staff' && i.mapUrl ? { mapUrl: i.mapUrl } : {}),
    ...(view !== 'follower' ? { words: shorten(c.text) } : {}),
    ...(c.dueAt ? { due: formatShanghai(c.dueAt), overdue: isOverdue(c, i.now) } : {}),
  };
  return {
    text: lines.join('\n'),
    ...(buttons.length ? { buttons } : {}),
    ...(photos.length ? { photoAttachmentIds: photos } : {}),
    ...(point ? { location: point } : {}),
    card,
  };
}

/** The case number format (CASE_NUMBER_PREFIX-YYYYMMDD-NNNN), found anywhere in a message. */
const CASE_NUMBER_IN_TEXT = /(?<![A-Za-z0-9])([A-Za-z]{1,6})-(\d{8})-(\d{4})(?!\d)/;

/** Full-width digits, letters and the ideographic space come from Chinese keyboards. */
export function halfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** The case number a short message names, normalised to upper case; null when it names none. */
export function caseNumberIn(text: string): string | null {
  const m = CASE_NUMBER_IN_TEXT.exec(halfWidth(text));
  return m ? `${m[1]!.toUpperCase()}-${m[2]}-${m[3]}` : null;
}
