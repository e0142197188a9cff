import { MODE_721_LABELS } from '../../core/case/case-types.ts';
import type { PowerItem, PowerList } from '../../core/power-list/power-list-types.ts';
import { dateTime } from './format.ts';
import { html, type SafeHtml } from './html.ts';

/** The published power list (行政权力事项清单), grouped by level, then post or department. */

const LEVEL_TITLES = {
  street: '街道执法事项（按岗位）',
  district: '区城市管理执法局保留事项',
  department: '移送其他部门的事项',
} as const;

function limits(i: PowerItem): string {
  const basis = i.timeBasis === 'working' ? '工作时间' : '自然时间';
  return `响应 ${i.responseHours} 小时，办结 ${i.handlingHours} 小时（${basis}）`;
}

function group(title: string, items: PowerItem[]): SafeHtml {
  return html`<details class="pl-group"><summary>${title} <span class="muted">（${items.length} 项）</span></summary>
    <table class="stack power-list"><thead><tr><th scope="col">编码</th><th scope="col">事项</th><th scope="col">法律依据</th><th scope="col">时限</th><th scope="col">常用处置方式</th></tr></thead>
    <tbody>${items.map(
      (
        i,
      ) => html`<tr><td data-label="编码">${i.code}</td><td data-label="事项">${i.name}${i.urgent ? html` <span class="badge urgent">紧急</span>` : ''}${i.description ? html`<br><small>${i.description}</small>` : ''}</td>
        <td data-label="法律依据">${i.legalBasis}</td><td data-label="时限">${limits(i)}</td><td data-label="处置方式">${MODE_721_LABELS[i.mode721]}</td></tr>`,
    )}</tbody></table></details>`;
}

function groupBy(items: PowerItem[], key: (i: PowerItem) => string): Array<[string, PowerItem[]]> {
  const map = new Map<string, PowerItem[]>();
  for (const i of items) map.set(key(i), [...(map.get(key(i)) ?? []), i]);
  return [...map.entries()];
}

export function powerListSection(
  list: (PowerList & { publishedAt: Date }) | null,
  headingLevel: 'h2' | 'h3' = 'h2',
): SafeHtml {
  if (!list) return html`<p class="empty">尚未导入权力清单。</p>`;
  const levels = (['street', 'district', 'department'] as const).map((level) => {
    const items = list.items.filter((i) => i.level === level);
    const groups =
      level === 'street'
        ? groupBy(items, (i) => i.post ?? '其他')
        : level === 'department'
          ? groupBy(items, (i) => i.department ?? '其他')
          : [['区局', items] as [string, PowerItem[]]];
    const heading =
      headingLevel === 'h2' ? html`<h2>${LEVEL_TITLES[level]}</h2>` : html`<h3>${LEVEL_TITLES[level]}</h3>`;
    return items.length
      ? html`<section class="panel">${heading}${groups.map(([name, its]) => group(name, its))}</section>`
      : '';
  });
  return html`<p class="summary">${list.title}，版本 ${list.version}，发布于 ${dateTime(list.publishedAt)}。${list.note ?? ''}</p>${levels}`;
}
