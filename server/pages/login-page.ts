import type { DemoStaff } from '../../db/demo-staff.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import { ROLE_LABELS } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

const STREET_ORDER = ['team_lead', 'enforcer', 'inspector'] as const;
const SHORT: Record<string, string> = { team_lead: '队长', enforcer: '队员', inspector: '巡查员' };

function demoSection(ctx: PageContext, staff: DemoStaff[], next: string): SafeHtml {
  const bureau = staff.filter((s) => !s.street);
  const streets = [...new Set(staff.filter((s) => s.street).map((s) => s.street!))];
  const button = (s: DemoStaff, label: string) =>
    html`<button type="submit" name="personId" value="${s.personId}" aria-label="以${s.displayName}身份登录">${label}</button>`;
  return html`<section class="panel" aria-labelledby="demo-h">
    <h2 id="demo-h">演示身份</h2>
    <p>演示模式下可一键以工作人员身份登录（正式部署时此功能关闭）。居民请使用<a href="/chat">网页聊天</a>报告问题。</p>
    <form method="post" action="/login/demo" class="demo-login">
      <input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">
      <input type="hidden" name="next" value="${next}">
      <p class="button-row">${bureau.map((s) => button(s, `${s.displayName}`))}</p>
      <table class="demo-table">
        <caption>各街道执法队</caption>
        <thead><tr><th scope="col">街道</th>${STREET_ORDER.map((r) => html`<th scope="col">${ROLE_LABELS[r]}</th>`)}</tr></thead>
        <tbody>${streets.map(
          (street) =>
            html`<tr><th scope="row">${street}</th>${STREET_ORDER.map((role) => {
              const s = staff.find((x) => x.street === street && x.role === role);
              return html`<td>${s ? button(s, SHORT[role] ?? role) : '—'}</td>`;
            })}</tr>`,
        )}</tbody>
      </table>
    </form>
  </section>`;
}

export function loginPage(ctx: PageContext, o: { demo: DemoStaff[] | null; next: string; error?: string }): SafeHtml {
  const body = html`<h1>工作人员登录</h1>
    ${o.error ? html`<p class="flash flash-error" role="alert">${o.error}</p>` : ''}
    <section class="panel">
      <h2>如何登录</h2>
      <ol>
        <li>在聊天（Telegram、微信或网页聊天）中向网格通发送 <kbd>/login</kbd>。</li>
        <li>点开机器人回复的一次性登录链接（15 分钟内有效，只能使用一次）。</li>
      </ol>
      <p>登录后可查看本岗位可见的案件、统计和导出。居民请在聊天中查看自己的报告。</p>
    </section>
    ${o.demo ? demoSection(ctx, o.demo, o.next) : ''}`;
  return layout(ctx, '登录', body);
}

/**
 * The one-time link first shows this page and signs in only on the button: chat apps fetch
 * links for previews, and a GET that signed in would burn the link before the person clicks.
 */
export function loginConfirmPage(ctx: PageContext, token: string): SafeHtml {
  const body = html`<h1>确认登录</h1>
    <section class="panel">
      <p>您正在用聊天中收到的一次性链接登录网格通工作台。</p>
      <form method="post" action="/login/${token}">
        <input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">
        <button type="submit" class="primary">确认登录</button>
      </form>
      <p>如果不是您本人操作，请关闭此页面。</p>
    </section>`;
  return layout(ctx, '确认登录', body);
}
