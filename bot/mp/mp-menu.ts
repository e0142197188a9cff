// The 公众号 menu (自定义菜单), created through menu/create by `npm run mp:menu`.
import { MENU_COMMANDS } from './mp-inbound.ts';

export interface MpMenu {
  button: Array<{ type: 'click'; name: string; key: string } | { type: 'view'; name: string; url: string }>;
}

/**
 * 我要反映 opens the built-in web chat as an H5 page, signed in through 网页授权 (the map picker
 * and photo upload are easier there than in the chat); 我的报告 answers in the chat; 权力清单 is
 * the published power list.
 */
export function buildMpMenu(publicUrl: string): MpMenu {
  const base = publicUrl.replace(/\/$/, '');
  const myKey = Object.keys(MENU_COMMANDS).find((k) => MENU_COMMANDS[k] === 'my')!;
  return {
    button: [
      { type: 'view', name: '我要反映', url: `${base}/mp/oauth/start` },
      { type: 'click', name: '我的报告', key: myKey },
      { type: 'view', name: '权力清单', url: `${base}/power-list` },
    ],
  };
}
