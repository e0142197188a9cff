import { html, type SafeHtml } from './html.ts';

/**
 * Inline SVG charts: bars and a two-line trend. Each chart sits beside a table holding the
 * same numbers, so the SVG is an illustration (role="img" with a label) and screen readers
 * read the table. Colours pass WCAG contrast against white.
 */
export interface Bar {
  label: string;
  value: number | null;
  text: string;
}

const W = 360;
const LABEL_W = 96;
const ROW_H = 24;

export function barChart(title: string, bars: Bar[], max?: number): SafeHtml {
  const top = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  const area = W - LABEL_W - 96; // room on the right for the value, e.g. '12（100.0%）'
  const h = bars.length * ROW_H + 4;
  return html`<svg class="chart" viewBox="0 0 ${W} ${h}" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">
    <title>${title}</title>
    ${bars.map((b, i) => {
      const y = i * ROW_H + 2;
      const w = b.value === null || top === 0 ? 0 : Math.max(b.value > 0 ? 2 : 0, (b.value / top) * area);
      return html`<g>
        <text x="${LABEL_W - 6}" y="${y + 16}" font-size="12" text-anchor="end" fill="#1a1a1a">${b.label}</text>
        <rect x="${LABEL_W}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="#1d5fa8"/>
        <text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + 16}" font-size="12" fill="#1a1a1a">${b.text}</text>
      </g>`;
    })}
  </svg>`;
}

export interface TrendPoint {
  day: string;
  created: number;
  closed: number;
}

const TREND_W = 480;

export function trendChart(title: string, points: TrendPoint[]): SafeHtml {
  const W = TREND_W;
  const h = 190;
  const [left, right, top, bottom] = [30, 10, 10, 38];
  const max = Math.max(1, ...points.flatMap((p) => [p.created, p.closed]));
  const x = (i: number) => left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (W - left - right));
  const y = (v: number) => top + (1 - v / max) * (h - top - bottom);
  const line = (key: 'created' | 'closed') =>
    points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const first = points[0]?.day ?? '';
  const last = points[points.length - 1]?.day ?? '';
  return html`<svg class="chart trend" viewBox="0 0 ${W} ${h}" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">
    <title>${title}</title>
    <line x1="${left}" y1="${y(0)}" x2="${W - right}" y2="${y(0)}" stroke="#5b6b7b"/>
    <line x1="${left}" y1="${top}" x2="${left}" y2="${y(0)}" stroke="#5b6b7b"/>
    <text x="${left - 4}" y="${top + 8}" font-size="13" text-anchor="end" fill="#1a1a1a">${max}</text>
    <text x="${left - 4}" y="${y(0)}" font-size="13" text-anchor="end" fill="#1a1a1a">0</text>
    <polyline points="${line('created')}" fill="none" stroke="#1d5fa8" stroke-width="2"/>
    <polyline points="${line('closed')}" fill="none" stroke="#b3261e" stroke-width="2" stroke-dasharray="5 3"/>
    <text x="${left}" y="${h - bottom + 14}" font-size="13" fill="#1a1a1a">${first.slice(5)}</text>
    <text x="${W - right}" y="${h - bottom + 14}" font-size="13" text-anchor="end" fill="#1a1a1a">${last.slice(5)}</text>
    <g font-size="13" fill="#1a1a1a">
      <line x1="${left}" y1="${h - 8}" x2="${left + 18}" y2="${h - 8}" stroke="#1d5fa8" stroke-width="2"/><text x="${left + 22}" y="${h - 4}">新增</text>
      <line x1="${left + 64}" y1="${h - 8}" x2="${left + 82}" y2="${h - 8}" stroke="#b3261e" stroke-width="2" stroke-dasharray="5 3"/><text x="${left + 86}" y="${h - 4}">结案</text>
    </g>
  </svg>`;
}
