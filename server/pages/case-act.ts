import type { FastifyRequest } from 'fastify';
import { ACTION_LABELS, type Actor } from '../../core/case/case-types.ts';
import { DomainError, ValidationError } from '../../core/errors.ts';
import { accessSelect, actorCanSee } from '../../db/case-queries.ts';
import { checkCsrf, CSRF_FIELD } from '../plugins/csrf.ts';
import type { ServerDeps } from '../server-deps.ts';
import { parseAction, readPostedForm, toActionInput } from './case-act-input.ts';
import type { Flash } from './page-context.ts';

/**
 * One posted action form, end to end: read it, check its CSRF token, store any photos as
 * evidence, act through the domain (which checks role, status and required input), and say
 * what happened. Refusals come back as the domain's Chinese message, never as an error page.
 */
export async function actOnCase(
  deps: ServerDeps,
  req: FastifyRequest,
  actor: Actor,
  number: string,
): Promise<{ flash: Flash; next: string }> {
  const form = await readPostedForm(req);
  checkCsrf(req, form.fields[CSRF_FIELD]);
  const back = `/cases/${encodeURIComponent(number)}`;
  try {
    const action = parseAction(form.fields);
    const input = toActionInput(form.fields);
    if (form.photos.length) {
      if (action !== 'resolve') throw new ValidationError('只有办结时可以上传照片');
      const ids: number[] = [];
      for (const p of form.photos)
        ids.push(
          (
            await deps.domain.evidence.ingest(p.bytes, {
              uploadedById: actor.personId,
              declaredMime: p.mime,
              fileName: p.fileName,
            })
          ).attachmentId,
        );
      input.attachmentIds = ids;
    }
    const updated = await deps.domain.cases.actions.act({ number }, action, actor, input);
    // A resolution photo taken far away or outside the district is accepted, but the resolver is told.
    const warning =
      action === 'resolve'
        ? (await deps.domain.cases.store.transaction((tx) => tx.verificationTask(updated.id)))?.warning
        : null;
    // Some actions hand the case to someone else (return, refer): then its page is no longer ours.
    const access = await deps.db.case.findUnique({ where: { number }, select: accessSelect });
    const stillVisible = access !== null && (await actorCanSee(deps.db, actor, access));
    return {
      flash: {
        kind: 'ok',
        text: `案件 ${number}：${ACTION_LABELS[action]}成功${warning ? `。⚠ 提醒：${warning}` : ''}`,
      },
      next: stillVisible ? back : '/',
    };
  } catch (err) {
    if (err instanceof DomainError) return { flash: { kind: 'error', text: err.message }, next: back };
    throw err;
  }
}

export async function decidePostponement(
  deps: ServerDeps,
  req: FastifyRequest,
  actor: Actor,
  number: string,
): Promise<{ flash: Flash; next: string }> {
  const form = await readPostedForm(req);
  checkCsrf(req, form.fields[CSRF_FIELD]);
  const back = `/cases/${encodeURIComponent(number)}`;
  try {
    const id = Number(form.fields.postponementId);
    if (!Number.isInteger(id) || id < 1) throw new ValidationError('缓办申请不存在');
    const approve = form.fields.approve === 'true';
    const pp = await deps.db.postponement.findUnique({ where: { id }, select: { case: { select: { number: true } } } });
    if (pp?.case.number !== number) throw new ValidationError('缓办申请不存在');
    await deps.domain.cases.feedback.decidePostponement(id, actor, approve);
    return { flash: { kind: 'ok', text: approve ? '已批准缓办' : '已不予批准缓办' }, next: back };
  } catch (err) {
    if (err instanceof DomainError) return { flash: { kind: 'error', text: err.message }, next: back };
    throw err;
  }
}
