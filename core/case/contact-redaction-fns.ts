import { redactPersonalData } from './anonymise-fns.ts';
import type { Actor } from './case-types.ts';

const redactOrNull = (s: string | null, names: readonly string[]) =>
  s === null ? null : redactPersonalData(s, { names });

interface DetailTexts {
  reporter: unknown;
  text: string;
  outcome: string | null;
  events: Array<{ note: string | null }>;
  ratings: Array<{ comment: string | null }>;
}

/**
 * Staff who may not call the reporter (the detail gave them no reporter) must not read the
 * reporter's number where it was typed into the report, a note or a rating comment either:
 * those texts reach them redacted, in the API as on the pages and in the exports. `names` are
 * the names the record knows (the reporter's), redacted wherever they appear.
 */
export function detailWithoutContacts<T extends DetailTexts>(c: T, names: readonly string[] = []): T {
  if (c.reporter !== null) return c;
  return {
    ...c,
    text: redactPersonalData(c.text, { names }),
    outcome: redactOrNull(c.outcome, names),
    events: c.events.map((e) => ({ ...e, note: redactOrNull(e.note, names) })),
    ratings: c.ratings.map((r) => ({ ...r, comment: redactOrNull(r.comment, names) })),
  };
}

/**
 * A resident reads what handlers wrote (outcome, notes) and other followers' comments as the
 * public does: without names, phone numbers, IDs or plates of anyone (issue 13.6). Their own
 * report text stays as they wrote it.
 */
export function detailForResident<T extends DetailTexts>(
  actor: Pick<Actor, 'role'>,
  c: T,
  names: readonly string[] = [],
): T {
  if (actor.role !== 'resident') return c;
  return {
    ...c,
    outcome: redactOrNull(c.outcome, names),
    events: c.events.map((e) => ({ ...e, note: redactOrNull(e.note, names) })),
    ratings: c.ratings.map((r) => ({ ...r, comment: redactOrNull(r.comment, names) })),
  };
}

/** Both of the above, for the case detail; `names` are the names the record knows (the reporter's). */
export function detailTextsFor<T extends DetailTexts>(actor: Pick<Actor, 'role'>, names: readonly string[], c: T): T {
  return detailForResident(actor, detailWithoutContacts(c, names), names);
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
