import { redactPersonalData } from './anonymise-fns.ts';
import type { Actor } from './case-types.ts';

const redactOrNull = (s: string | null) => (s === null ? null : redactPersonalData(s));

/**
 * Staff who may not call the reporter (the detail gave them no reporter) must not read the
 * reporter's number where it was typed into the report, a note or a rating comment either:
 * those texts reach them redacted, in the API as on the pages and in the exports.
 */
export function detailWithoutContacts<
  T extends {
    reporter: unknown;
    text: string;
    outcome: string | null;
    events: Array<{ note: string | null }>;
    ratings: Array<{ comment: string | null }>;
  },
>(c: T): T {
  if (c.reporter !== null) return c;
  return {
    ...c,
    text: redactPersonalData(c.text),
    outcome: redactOrNull(c.outcome),
    events: c.events.map((e) => ({ ...e, note: redactOrNull(e.note) })),
    ratings: c.ratings.map((r) => ({ ...r, comment: redactOrNull(r.comment) })),
  };
}

/**
 * List rows do not say whether the viewer may call each reporter (the detail does), so only
 * the roles that may for the cases they list (the bureau and team leads) read list texts as
 * written; everyone else reads them with phone numbers and the like redacted.
 */
export function listTextsFor<T extends { text: string }>(actor: Pick<Actor, 'role'>, items: T[]): T[] {
  if (actor.role === 'district_admin' || actor.role === 'team_lead') return items;
  return items.map((i) => ({ ...i, text: redactPersonalData(i.text) }));
}
