import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from './html.ts';

describe('html template helper', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const evil = `<script>alert('x')</script>" onmouseover="y" \`z\` &amp;`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('" onmouseover');
    expect(out).toBe(`<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
    expect(escapeHtml(evil)).toBe(
      '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onmouseover=&quot;y&quot; &#96;z&#96; &amp;amp;',
    );
  });

  it('nests templates and arrays without escaping them twice', () => {
    const items = ['<a>', 'b&c'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value).toBe(
      '<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>',
    );
    expect(html`${trusted('<br>')}${'<br>'}`.value).toBe('<br>&lt;br&gt;');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(html`[${null}${undefined}${false}${0}${12.5}]`.value).toBe('[012.5]');
  });
});
