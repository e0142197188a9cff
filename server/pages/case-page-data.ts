import type { Actor } from '../../core/case/case-types.ts';
import { availableActions } from '../../core/case/transition-rules-fns.ts';
import { NotFoundError } from '../../core/errors.ts';
import { getCaseDetail } from '../../db/case-queries.ts';
import { activePowerList } from '../../db/power-list-store.ts';
import { createStaffDirectory } from '../../db/staff-directory.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ActionChoices } from './case-action-forms.ts';
import type { CaseDetail } from './case-page.ts';

/**
 * What the case page shows: the detail as the API gives it (visibility and reporter-contact
 * rules already applied by getCaseDetail) and, for the forms, the actions the viewer may take
 * now with the lists they choose from. Lists are loaded only for the forms that need them.
 */
export async function loadCasePage(
  deps: ServerDeps,
  actor: Actor,
  number: string,
  csrf: string,
): Promise<{ detail: CaseDetail; choices: ActionChoices }> {
  const { db, domain } = deps;
  const detail = await getCaseDetail(db, actor, number, domain.clock());
  if (!detail) throw new NotFoundError('未找到该案件，或您无权查看');
  const row = await domain.cases.store.transaction((tx) => tx.getCase({ number }));
  if (!row) throw new NotFoundError('未找到该案件');
  const actions = availableActions(actor, row);
  const has = (...a: string[]) => actions.some((x) => a.includes(x));
  const directory = createStaffDirectory(db);
  const [teamMembers, departments, streets, list, postponements] = await Promise.all([
    has('assign') && row.streetId !== null ? directory.teamMembers(row.streetId, row.item) : [],
    has('refer') ? directory.departments().then((ds) => ds.map((d) => d.name)) : [],
    has('register', 'return')
      ? db.street.findMany({ orderBy: { code: 'asc' }, select: { name: true } }).then((s) => s.map((x) => x.name))
      : [],
    has('register') ? activePowerList(db) : null,
    actor.role === 'district_admin'
      ? db.postponement.findMany({
          where: { caseId: row.id, status: 'pending' },
          orderBy: { id: 'asc' },
          select: { id: true, reason: true, newDueAt: true },
        })
      : [],
  ]);
  const items = (list?.items ?? []).map((i) => ({ code: i.code, name: i.name, post: i.post, level: i.level }));
  return {
    detail,
    choices: {
      number: detail.number,
      csrf,
      actions,
      teamMembers: teamMembers.filter((m) => m.personId !== actor.personId),
      departments,
      streets,
      items,
      postponements,
    },
  };
}
