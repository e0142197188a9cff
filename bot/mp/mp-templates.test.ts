import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMpTemplates, noticeKind, renderTemplate, templateFor, type CaseFacts } from './mp-templates.ts';

const facts: CaseFacts = {
  number: 'JH-20260304-0001',
  matter: '占道经营',
  status: '处理中',
  place: '万松街道 中山公园附近',
  time: '3月4日 09:30',
  summary: '案件 JH-20260304-0001 已由万松街道综合执法中队接单处置，请耐心等待处理结果。',
  link: 'https://gridline.example.cn/mp/oauth/start',
};

describe('订阅通知 templates', () => {
  it('names a notice by its outbox key and falls back to the default template', () => {
    expect(noticeKind('case:12:e5:followers:mp:o-abc')).toBe('followers');
    expect(noticeKind('case:12:reporter:created:mp:o-abc')).toBe('created');
    const templates = {
      notices: { thanks: { templateId: 't-thanks', data: {} }, default: { templateId: 't-any', data: {} } },
    };
    expect(templateFor(templates, 'case:3:e9:thanks:mp:o')?.templateId).toBe('t-thanks');
    expect(templateFor(templates, 'case:3:e9:followers:mp:o')?.templateId).toBe('t-any');
    expect(templateFor({ notices: {} }, 'case:3:e9:followers:mp:o')).toBeNull();
  });

  it('fills the fields from the case and keeps each within 20 characters', () => {
    const r = renderTemplate(
      { templateId: 't', data: { character_string1: '{number}', thing2: '{summary}', thing3: '{matter}（{place}）' } },
      facts,
    );
    expect(r.page).toBe(facts.link);
    expect(r.data.character_string1).toEqual({ value: 'JH-20260304-0001' });
    for (const v of Object.values(r.data)) expect([...v.value].length).toBeLessThanOrEqual(20);
    expect(r.data.thing2!.value.endsWith('…')).toBe(true);
  });

  it('reads the file, treats a missing one as none, and names what is wrong in a bad one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mp-templates-'));
    expect(loadMpTemplates(path.join(dir, 'absent.json'))).toEqual({ notices: {} });
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"notices": {"default": {"data": {}}}}');
    expect(() => loadMpTemplates(bad)).toThrow(/notices\.default\.templateId/);
    writeFileSync(bad, '{ not json');
    expect(() => loadMpTemplates(bad)).toThrow(/not valid JSON/);
    const example = loadMpTemplates(path.resolve(import.meta.dirname, '../../config/mp-templates.example.json'));
    expect(Object.keys(example.notices)).toEqual(['default']);
  });
});
