import { LEAD_MANAGED_ROLES, roleLabel, STAFF_ROLE_LABELS } from '../../core/staff/staff-admin-rules.ts';
import type { ChangeRow, PostRow, StaffRow } from '../../db/staff-admin-store.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import { dateTime } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface StaffAdminPageData {
  staff: StaffRow[];
  posts: PostRow[];
  changes: ChangeRow[];
  /** The streets this administrator may choose (a team lead: their own). */
  streets: string[];
  departments: string[];
  /** The bureau may transfer and give any role; a team lead only inspector ⇄ enforcer. */
  bureau: boolean;
  showInactive: boolean;
  /** A bind code or token, shown once on the answer to the form that made it. */
  secret?: { title: string; value: string; hint: string };
}

const hidden = (ctx: PageContext) => html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`;

function options(values: readonly string[], labels: (v: string) => string, selected?: string | null): SafeHtml[] {
  return values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${labels(v)}</option>`);
}

function rowActions(ctx: PageContext, d: StaffAdminPageData, p: StaffRow): SafeHtml {
  if (!p.active) return html`—`;
  const self = ctx.actor?.personId === p.id;
  if (self) return html`<small>本人</small>`;
  const leadMayNot = !d.bureau && !LEAD_MANAGED_ROLES.includes(p.role as never);
  if (leadMayNot) return html`<small>须区局办理</small>`;
  const roles = d.bureau ? Object.keys(STAFF_ROLE_LABELS).filter((r) => r !== 'resident') : LEAD_MANAGED_ROLES;
  const posts = d.posts.filter((x) => x.streetName === p.streetName);
  const base = `/staff/${p.id}`;
  return html`<div class="staff-actions">
    <form method="post" action="${base}/role">${hidden(ctx)}<label>角色 <select name="role">${options(roles, roleLabel, p.role)}</select></label><button type="submit">改角色</button></form>
    ${
      d.bureau
        ? html`<form method="post" action="${base}/transfer">${hidden(ctx)}<label>调往 <select name="street">${options(d.streets, (s) => s, p.streetName)}</select></label><button type="submit">调动</button></form>`
        : ''
    }
    <form method="post" action="${base}/post">${hidden(ctx)}<label>岗位 <select name="post"><option value="">（无）</option>${options(
      posts.map((x) => x.name),
      (s) => s,
      p.postName,
    )}</select></label><button type="submit">设岗</button></form>
    <form method="post" action="${base}/token">${hidden(ctx)}<label>API 令牌 <input name="days" type="number" min="1" max="3650" value="90" size="4"> 天</label><button type="submit">签发</button></form>
    <form method="post" action="${base}/deactivate">${hidden(ctx)}<button type="submit" class="danger">停用</button></form>
  </div>`;
}

/** 人员管理: list, bind codes, roles, transfers, posts (岗位), tokens, deactivation, and the trail. */
export function staffAdminPage(ctx: PageContext, d: StaffAdminPageData): SafeHtml {
  const grantable = d.bureau ? Object.keys(STAFF_ROLE_LABELS).filter((r) => r !== 'resident') : LEAD_MANAGED_ROLES;
  const body = html`<h1>人员管理</h1>
  <p>停用即时生效：网页登录、API 令牌和登录链接全部作废，聊天账号从下一条消息起只按居民处理。每项修改都记入下方的操作记录。</p>
  ${
    d.secret
      ? html`<section class="panel" id="secret"><h2>${d.secret.title}</h2><p><code class="secret">${d.secret.value}</code></p><p>${d.secret.hint}（只显示这一次）</p></section>`
      : ''
  }
  <section class="panel"><h2>工作人员</h2>
    <p><a href="/staff${d.showInactive ? '' : '?all=1'}">${d.showInactive ? '只看在岗人员' : '含已停用人员'}</a></p>
    <table class="staff"><thead><tr><th>编号</th><th>姓名</th><th>角色</th><th>街道/部门</th><th>岗位</th><th>聊天</th><th>令牌</th><th>在办</th><th>状态</th><th>操作</th></tr></thead><tbody>${d.staff.map(
      (p) =>
        html`<tr id="person-${p.id}"><td>#${p.id}</td><td>${p.displayName}</td><td>${roleLabel(p.role)}</td><td>${p.streetName ?? p.departmentName ?? '—'}</td><td>${p.postName ?? '—'}</td><td>${p.channels.join('、') || '—'}</td><td>${p.liveTokens}</td><td>${p.openCases}</td><td>${p.active ? '在岗' : '已停用'}</td><td>${rowActions(ctx, d, p)}</td></tr>`,
    )}</tbody></table>
  </section>
  <section class="panel"><h2>新增人员（一次性绑定码）</h2>
    <form method="post" action="/staff/bind-code">${hidden(ctx)}
      <label>姓名 <input name="name" required maxlength="40"></label>
      <label>角色 <select name="role">${options(grantable, roleLabel)}</select></label>
      <label>街道 <select name="street"><option value="">（无）</option>${options(d.streets, (s) => s)}</select></label>
      ${d.bureau ? html`<label>部门 <select name="department"><option value="">（无）</option>${options(d.departments, (s) => s)}</select></label>` : ''}
      <label>有效 <input name="hours" type="number" min="1" max="720" value="72" size="4"> 小时</label>
      <button type="submit">生成绑定码</button>
    </form>
  </section>
  <section class="panel"><h2>岗位</h2>
    <p>岗位负责权力清单中的事项（编号如 SR-001）或类别（如 市容市政）；转派这些事项时，持该岗位的队员排在前面。</p>
    <table><thead><tr><th>编号</th><th>岗位</th><th>队伍</th><th>负责</th><th>在岗</th></tr></thead><tbody>${d.posts.map(
      (p) =>
        html`<tr><td>#${p.id}</td><td>${p.name}</td><td>${p.teamName}</td><td>${p.covers.join('、')}</td><td>${p.holders}</td></tr>`,
    )}</tbody></table>
    <form method="post" action="/staff/posts">${hidden(ctx)}
      <label>街道 <select name="street">${options(d.streets, (s) => s)}</select></label>
      <label>岗位名称 <input name="name" required maxlength="30" placeholder="占道经营岗"></label>
      <label>负责事项或类别 <input name="covers" required placeholder="SR-001, 市容市政"></label>
      <button type="submit">设立或更新岗位</button>
    </form>
  </section>
  <section class="panel"><h2>操作记录</h2>
    <table><thead><tr><th>时间</th><th>操作人</th><th>内容</th></tr></thead><tbody>${d.changes.map(
      (c) => html`<tr><td>${dateTime(c.createdAt)}</td><td>${c.actorLabel}</td><td>${c.summary}</td></tr>`,
    )}</tbody></table>
  </section>`;
  return layout(ctx, '人员管理', body);
}
