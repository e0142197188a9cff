import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, DomainError, ValidationError } from '../../core/errors.ts';
import { assertMayAdminister, streetScope, type StaffAdmin } from '../../core/staff/staff-admin-rules.ts';
import { createStaffAdminStore, type Done } from '../../db/staff-admin-store.ts';
import { acceptFormPosts, field } from '../pages/form-body.ts';
import { pageContext, sendPage, setFlash } from '../pages/page-context.ts';
import { installPageErrors, requireStaffPage } from '../pages/page-guard.ts';
import { staffAdminPage, type StaffAdminPageData } from '../pages/staff-admin-page.ts';
import { checkCsrf, CSRF_FIELD } from '../plugins/csrf.ts';
import type { ServerDeps } from '../server-deps.ts';

type IdParams = { Params: { id: string } };
const idParams = {
  schema: { hide: true, params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,9}$' } } } },
};

/**
 * /staff: staff administration on the dashboard, for the district bureau (everyone) and team
 * leads (their own street's inspectors and enforcers). Every change is a CSRF-checked form and
 * goes to the StaffChange trail with who did it; bind codes and tokens are shown once, on the
 * answer to the form that made them, never carried in a cookie.
 */
export async function staffAdminRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  installPageErrors(app, secure);
  await acceptFormPosts(app);
  const store = createStaffAdminStore(db, domain.clock);
  const hidden = { schema: { hide: true } };

  /** The signed-in administrator; a resident or an inspector is refused before anything is read. */
  function adminOf(req: FastifyRequest): StaffAdmin {
    const admin: StaffAdmin = { kind: 'person', actor: requireStaffPage(req) };
    assertMayAdminister(admin);
    return admin;
  }

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    admin: StaffAdmin,
    secret?: StaffAdminPageData['secret'],
  ): Promise<{ value: string }> {
    const scope = streetScope(admin);
    const showInactive = (req.query as { all?: string } | undefined)?.all === '1';
    const [staff, posts, changes, streets, departments] = await Promise.all([
      store.listStaff(admin, { includeInactive: showInactive }),
      store.listPosts(admin),
      store.recentChanges(admin),
      db.street.findMany({
        where: scope === null ? {} : { id: scope },
        orderBy: { code: 'asc' },
        select: { name: true },
      }),
      db.department.findMany({ orderBy: { id: 'asc' }, select: { name: true } }),
    ]);
    return staffAdminPage(pageContext(req, reply, secure), {
      staff,
      posts,
      changes,
      streets: streets.map((s) => s.name),
      departments: departments.map((d) => d.name),
      bureau: scope === null,
      showInactive,
      ...(secret ? { secret } : {}),
    });
  }

  /** POST-redirect-GET: a refusal is a 403 page; a change that cannot be made is a message on the page. */
  async function change(req: FastifyRequest, reply: FastifyReply, run: (admin: StaffAdmin) => Promise<Done>) {
    const admin = adminOf(req);
    checkCsrf(req, field(req.body, CSRF_FIELD));
    try {
      const done = await run(admin);
      req.log.info(
        { by: admin.kind === 'person' ? admin.actor.personId : null, person: done.personId },
        'staff changed',
      );
      setFlash(reply, { kind: 'ok', text: done.summary });
    } catch (err) {
      if (err instanceof ForbiddenError || !(err instanceof DomainError)) throw err;
      setFlash(reply, { kind: 'error', text: err.message });
    }
    return reply.redirect('/staff', 303);
  }

  const personId = (req: FastifyRequest<IdParams>) => Number(req.params.id);
  const text = (req: FastifyRequest, name: string) => field(req.body, name)?.trim() ?? '';
  const whole = (req: FastifyRequest, name: string, fallback: number) => {
    const raw = text(req, name);
    const n = raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(n)) throw new ValidationError('请填写整数');
    return n;
  };

  app.get('/staff', hidden, async (req, reply) => sendPage(reply, 200, await render(req, reply, adminOf(req))));

  app.post<IdParams>('/staff/:id/deactivate', idParams, (req, reply) =>
    change(req, reply, (admin) => store.deactivate(admin, personId(req))),
  );
  app.post<IdParams>('/staff/:id/transfer', idParams, (req, reply) =>
    change(req, reply, (admin) => store.transfer(admin, personId(req), { streetName: text(req, 'street') })),
  );
  app.post<IdParams>('/staff/:id/role', idParams, (req, reply) =>
    change(req, reply, (admin) => store.changeRole(admin, personId(req), text(req, 'role'))),
  );
  app.post<IdParams>('/staff/:id/post', idParams, (req, reply) =>
    change(req, reply, (admin) => store.assignPost(admin, personId(req), text(req, 'post') || null)),
  );
  app.post('/staff/posts', hidden, (req, reply) =>
    change(req, reply, (admin) =>
      store.definePost(admin, {
        streetName: text(req, 'street'),
        name: text(req, 'name'),
        covers: text(req, 'covers'),
      }),
    ),
  );

  // Secrets: answered with the page itself (status 200), so the code never sits in a cookie.
  app.post('/staff/bind-code', hidden, async (req, reply) => {
    const admin = adminOf(req);
    checkCsrf(req, field(req.body, CSRF_FIELD));
    const street = text(req, 'street');
    const department = text(req, 'department');
    const issued = await store.bindCode(admin, {
      role: text(req, 'role'),
      displayName: text(req, 'name'),
      ...(street ? { streetName: street } : {}),
      ...(department ? { departmentName: department } : {}),
      validHours: whole(req, 'hours', 72),
    });
    const page = await render(req, reply, admin, {
      title: '绑定码已生成',
      value: issued.code,
      hint: `${issued.summary} 请当面或经可靠渠道交给本人，在聊天中发送 /bind ${issued.code}`,
    });
    return sendPage(reply, 200, page);
  });
  app.post<IdParams>('/staff/:id/token', idParams, async (req, reply) => {
    const admin = adminOf(req);
    checkCsrf(req, field(req.body, CSRF_FIELD));
    const days = whole(req, 'days', 90);
    if (days < 1 || days > 3650) throw new ValidationError('有效期须为 1–3650 天');
    const issued = await store.apiToken(admin, personId(req), { days });
    const page = await render(req, reply, admin, {
      title: 'API 令牌已签发',
      value: issued.token,
      hint: `${issued.summary} 调用接口时发送请求头 Authorization: Bearer <令牌>`,
    });
    return sendPage(reply, 200, page);
  });
}
