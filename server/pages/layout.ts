import type { Actor } from '../../core/case/case-types.ts';
import { CSRF_FIELD } from '../plugins/csrf.ts';
import { ROLE_LABELS } from './format.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';
import type { PageContext } from './page-context.ts';

interface NavLink {
  href: string;
  label: string;
}

const STREET_ROLES = new Set(['inspector', 'enforcer', 'team_lead']);

/** The header links a person sees; statistics go to the view their role has. */
export function navFor(actor: Actor | null): NavLink[] {
  const links: NavLink[] = [];
  if (actor && actor.role !== 'resident') {
    links.push({ href: '/', label: '案件' }, { href: '/overdue', label: '逾期' });
    if (actor.role === 'district_admin')
      links.push({ href: '/district', label: '统计' }, { href: '/hotline', label: '12345工单' });
    else if (STREET_ROLES.has(actor.role)) links.push({ href: '/street', label: '统计' });
    if (actor.role === 'district_admin' || actor.role === 'team_lead') links.push({ href: '/staff', label: '人员' });
    if (actor.role === 'district_admin' || STREET_ROLES.has(actor.role))
      links.push({ href: '/patrols', label: '巡查' });
  }
  links.push(
    { href: '/power-list', label: '权力清单' },
    { href: '/public', label: '公开页' },
    { href: '/chat', label: '网页聊天' },
  );
  return links;
}

const isCurrent = (link: NavLink, path: string) =>
  link.href === '/' ? path === '/' || path.startsWith('/cases/') : path.startsWith(link.href);

function header(ctx: PageContext): SafeHtml {
  const who = ctx.actor
    ? html`<div class="who"><span>${ctx.actor.displayName}（${ROLE_LABELS[ctx.actor.role] ?? ctx.actor.role}）</span>
        <form method="post" action="/logout"><input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}"><button type="submit" class="link-button">退出</button></form></div>`
    : html`<div class="who"><a href="/login">工作人员登录</a></div>`;
  return html`<header class="site">
    <a class="brand" href="${ctx.actor && ctx.actor.role !== 'resident' ? '/' : '/public'}">网格通 <small>江汉区街道城市管理执法</small></a>
    ${who}
    <nav aria-label="主导航"><ul>${navFor(ctx.actor).map(
      (l) =>
        html`<li><a href="${l.href}"${isCurrent(l, ctx.path) ? html` aria-current="page"` : ''}>${l.label}</a></li>`,
    )}</ul></nav>
  </header>`;
}

export function layout(ctx: PageContext, title: string, body: HtmlValue): SafeHtml {
  const flash = ctx.flash
    ? html`<p class="flash flash-${ctx.flash.kind}" role="${ctx.flash.kind === 'error' ? 'alert' : 'status'}">${ctx.flash.text}</p>`
    : '';
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 网格通</title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
${header(ctx)}
<main id="main" tabindex="-1">
${flash}
${body}
</main>
<footer class="site"><p>网格通 · 江汉区城市管理执法局 · 依据江政〔2021〕8号</p></footer>
</body>
</html>`;
}
