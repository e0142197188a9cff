import type { PowerList } from '../../core/power-list/power-list-types.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import { powerListSection } from './power-list-section.ts';

export function powerListPage(ctx: PageContext, list: (PowerList & { publishedAt: Date }) | null): SafeHtml {
  return layout(
    ctx,
    '权力清单',
    html`<h1>行政权力事项清单</h1>
    <p>街道执法队依清单在本辖区内执法（属地管辖）；清单外、跨街道或重大复杂案件由区城市管理执法局办理；不属于城市管理的事项移送有权部门。
      机器可读版本：<a href="/api/power-list">/api/power-list</a>。</p>
    ${powerListSection(list)}`,
  );
}
