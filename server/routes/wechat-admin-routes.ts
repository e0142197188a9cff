// The WeChat login page for the district administrator: state, account, and the login QR code
// drawn as inline SVG (no external QR service, no CDN). Registered by the composition root.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { qrSvg } from '../../bot/wechat/wechat-qrcode.ts';
import type { WeChatStatus, WeChatStatusSource } from '../../bot/wechat/wechat-status.ts';
import { bearerSecurity, requireRole } from '../plugins/auth.ts';

const STATE_TEXT: Record<WeChatStatus['state'], string> = {
  logged_out: '未登录',
  scan: '等待扫码登录',
  logged_in: '已登录',
};

const statusSchema = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean', description: '是否配置了 WECHATY_PUPPET' },
    state: { type: 'string', enum: ['logged_out', 'scan', 'logged_in'] },
    puppet: { type: 'string' },
    qrcode: { type: 'string', description: '登录二维码内容（仅等待扫码时）' },
    scanStatus: { type: 'string' },
    user: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    error: { type: 'string' },
  },
  required: ['enabled', 'state'],
} as const;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function current(channel: WeChatStatusSource | null): WeChatStatus & { enabled: boolean } {
  return channel ? { enabled: true, ...channel.status() } : { enabled: false, state: 'logged_out', puppet: 'none' };
}

async function page(s: WeChatStatus & { enabled: boolean }): Promise<string> {
  const rows: string[] = [
    `<p>状态：<strong>${STATE_TEXT[s.state]}</strong>${s.scanStatus === 'Scanned' ? '（已扫码，请在手机上确认登录）' : ''}</p>`,
  ];
  if (!s.enabled)
    rows.push(
      '<p>未配置微信通道。设置 <code>WECHATY_PUPPET</code>（及 <code>WECHATY_PUPPET_SERVICE_TOKEN</code>）后重启，见 README“WeChat (Wechaty)”。</p>',
    );
  else rows.push(`<p>Puppet：<code>${esc(s.puppet)}</code></p>`);
  if (s.user) rows.push(`<p>当前账号：${esc(s.user.name)}（<code>${esc(s.user.id)}</code>）</p>`);
  if (s.error) rows.push(`<p class="err">启动失败：${esc(s.error)}</p>`);
  if (s.state === 'scan' && s.qrcode) {
    rows.push('<p>请用要作为“网格通”的微信（或企业微信）账号扫描二维码登录：</p>');
    rows.push(`<div class="qr">${await qrSvg(s.qrcode)}</div>`);
    rows.push(`<p class="small">二维码内容：<code>${esc(s.qrcode)}</code></p>`);
  }
  // Refresh while a login is pending, so a new QR code (they expire) or the login shows up.
  const refresh = s.state === 'logged_in' ? 60 : 5;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="${refresh}"><title>微信登录 · 网格通</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
.qr svg{width:280px;height:280px}.err{color:#b00020}.small{font-size:.8rem;color:#666;word-break:break-all}a{color:#0b57d0}</style></head>
<body><h1>微信通道</h1>${rows.join('\n')}<p class="small">每 ${refresh} 秒自动刷新。<a href="/">返回工作台</a></p></body></html>`;
}

/** Browsers without a session are sent to sign in; everyone else gets the JSON error. */
function guard(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.actor) {
    void reply.redirect(`/login?next=${encodeURIComponent('/admin/wechat')}`);
    return false;
  }
  requireRole(req, ['district_admin']);
  return true;
}

export async function wechatAdminRoutes(
  app: FastifyInstance,
  deps: { channel: WeChatStatusSource | null },
): Promise<void> {
  app.get('/admin/wechat', { schema: { hide: true } }, async (req, reply) => {
    if (!guard(req, reply)) return reply;
    // The QR code logs an account in for whoever scans it first: never cache it anywhere.
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await page(current(deps.channel)));
  });

  app.get(
    '/api/admin/wechat/status',
    {
      schema: {
        tags: ['admin'],
        summary: '微信通道登录状态（区城管执法局管理员）',
        security: bearerSecurity,
        response: { 200: statusSchema },
      },
    },
    async (req, reply) => {
      requireRole(req, ['district_admin']);
      return reply.header('cache-control', 'no-store').send(current(deps.channel));
    },
  );
}
