// The district administrator's WeCom page: sync the directory mapping now (the same as
// `npm run wecom:sync`), from a button, or from the JSON API. Registered by app/create-wecom.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SyncSummary } from '../../bot/wecom/wecom-directory-sync.ts';
import { bearerSecurity, requireRole } from '../plugins/auth.ts';
import { checkCsrf, csrfToken, CSRF_FIELD } from '../plugins/csrf.ts';
import { acceptFormPosts, field } from '../pages/form-body.ts';

const summarySchema = {
  type: 'object',
  properties: {
    members: { type: 'integer', description: '通讯录成员数' },
    created: { type: 'integer', description: '新增工作人员' },
    updated: { type: 'integer', description: '更新角色或街道' },
    deactivated: { type: 'integer', description: '停用（企业微信中已禁用或已离开）' },
  },
  required: ['members', 'created', 'updated', 'deactivated'],
} as const;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(csrf: string, result: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>企业微信 · 网格通</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}.err{color:#b00020}a{color:#0b57d0}</style></head>
<body><h1>企业微信通道</h1>
<p>按 <code>config/wecom-directory.json</code> 的映射（部门 → 街道执法队，标签 → 角色）同步企业微信通讯录：新成员成为工作人员，已禁用或已离开的成员立即失去工作人员权限。</p>
${result}
<form method="post" action="/admin/wecom/sync"><input type="hidden" name="${CSRF_FIELD}" value="${esc(csrf)}"><button type="submit">立即同步通讯录</button></form>
<p><a href="/">返回工作台</a></p></body></html>`;
}

const summaryText = (s: SyncSummary) =>
  `<p>同步完成：通讯录 ${s.members} 人，新增 ${s.created} 人，更新 ${s.updated} 人，停用 ${s.deactivated} 人。</p>`;

function guard(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.actor) {
    void reply.redirect(`/login?next=${encodeURIComponent('/admin/wecom')}`);
    return false;
  }
  requireRole(req, ['district_admin']);
  return true;
}

export function wecomAdminRoutes(deps: {
  sync(): Promise<SyncSummary>;
  secure: boolean;
}): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(async (scope) => {
      await acceptFormPosts(scope);

      scope.get('/admin/wecom', { schema: { hide: true } }, async (req, reply) => {
        if (!guard(req, reply)) return reply;
        return reply.type('text/html; charset=utf-8').send(page(csrfToken(req, reply, deps.secure), ''));
      });

      scope.post('/admin/wecom/sync', { schema: { hide: true } }, async (req, reply) => {
        if (!guard(req, reply)) return reply;
        checkCsrf(req, field(req.body, CSRF_FIELD));
        let result: string;
        try {
          result = summaryText(await deps.sync());
        } catch (err) {
          req.log.warn({ err: String(err) }, 'wecom directory sync failed');
          result = `<p class="err">同步失败：${esc(err instanceof Error ? err.message : String(err))}</p>`;
        }
        return reply.type('text/html; charset=utf-8').send(page(csrfToken(req, reply, deps.secure), result));
      });

      scope.post(
        '/api/admin/wecom/sync',
        {
          schema: {
            tags: ['admin'],
            summary: '同步企业微信通讯录映射（区城管执法局管理员）',
            security: bearerSecurity,
            response: { 200: summarySchema },
          },
        },
        async (req) => {
          requireRole(req, ['district_admin']);
          return deps.sync();
        },
      );
    });
  };
}
