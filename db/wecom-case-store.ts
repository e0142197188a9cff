// The case facts a WeCom card shows and the step a card press led to (bot/wecom/wecom-ports.ts).
import type { WecomCaseFacts } from '../bot/wecom/wecom-ports.ts';
import { mapLink } from '../bot/wecom/wecom-outbound-fns.ts';
import { redactPersonalData } from '../core/case/anonymise-fns.ts';
import { formatShanghai, placeOf, shorten } from '../core/case/case-format-fns.ts';
import { STATUS_LABELS, type CaseStatus } from '../core/case/case-types.ts';
import { isOverdue } from '../core/case/case-visibility-fns.ts';
import type { Db } from './prisma-client.ts';

/** Photos a card carries: the report's first ones, not the handlers' resolution or verification photos. */
const CARD_PHOTOS = 2;

export function createWecomCaseStore(db: Db, clock: () => Date): WecomCaseFacts {
  return {
    async card(caseId) {
      const c = await db.case.findUnique({
        where: { id: caseId },
        include: {
          item: { select: { name: true } },
          street: { select: { name: true } },
          attachments: {
            where: {
              mime: { startsWith: 'image/' },
              OR: [{ eventId: null }, { event: { is: { type: { notIn: ['resolved', 'verified', 'rework'] } } } }],
            },
            orderBy: { id: 'asc' },
            take: CARD_PHOTOS,
            select: { id: true },
          },
        },
      });
      if (!c) return null;
      const location = c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : null;
      const place = placeOf({ address: c.address, lat: c.lat, lng: c.lng, streetName: c.street?.name ?? null });
      return {
        card: {
          caseId: c.id,
          number: c.number,
          title: c.item?.name ?? '待分拣',
          status: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
          place,
          ...(location ? { mapUrl: mapLink(location, c.number) } : {}),
          // Staff read the reporter's words; a third party's phone number in them stays hidden.
          words: shorten(redactPersonalData(c.text), 60),
          due: formatShanghai(c.dueAt),
          overdue: isOverdue(c, clock()),
        },
        photoIds: c.attachments.map((a) => a.id),
        location,
      };
    },

    async lastEventId(caseId) {
      const e = await db.caseEvent.findFirst({ where: { caseId }, orderBy: { id: 'desc' }, select: { id: true } });
      return e?.id ?? 0;
    },

    async lastActionBy(caseId, personId, afterEventId) {
      const e = await db.caseEvent.findFirst({
        where: { caseId, actorId: personId, id: { gt: afterEventId } },
        orderBy: { id: 'desc' },
        select: { type: true, createdAt: true, actor: { select: { displayName: true } } },
      });
      return e ? { type: e.type, at: e.createdAt, actorName: e.actor?.displayName ?? '' } : null;
    },
  };
}
