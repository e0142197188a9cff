import { describe, expect, it } from 'vitest';
import type { StreetLocation } from '../geo/geo-types.ts';
import { classifyLine, MAX_TEXT_CHARS, MAX_TITLE_CHARS } from './classify-line-fns.ts';
import type { RouteInput, Router, RoutingDecision } from './routing-types.ts';

const nowhere: StreetLocation = {
  street: null,
  streetCode: null,
  method: 'none',
  outsideDistrict: false,
  neighbour: null,
  candidates: [],
  reason: '',
  evidence: null,
};
const seen: RouteInput[] = [];
const router: Router = {
  version: 't',
  route(input) {
    seen.push(input);
    if (input.text === 'boom') throw new Error('kaput');
    const d: RoutingDecision = {
      handling: 'street',
      post: '市容市政',
      department: null,
      item: null,
      confidence: 0.8,
      urgent: false,
      urgentAdvice: null,
      street: nowhere,
      candidates: [],
      needsTriage: false,
      reasons: ['r'],
    };
    return d;
  },
};
const code = (line: string) => {
  const out = classifyLine(router, line);
  return 'error' in out ? out.error.code : null;
};

describe('classifyLine', () => {
  it('maps a decision to the output line', () => {
    expect(
      classifyLine(router, '{"id":"x","text":"摆摊","reporter":"inspector","lat":30.6,"lng":114.3,"crs":"gcj02"}'),
    ).toEqual({
      id: 'x',
      handling: 'street',
      post: '市容市政',
      department: null,
      street: null,
      urgent: false,
      item: null,
      confidence: 0.8,
      triage: false,
      reasons: ['r'],
    });
    expect(seen.at(-1)).toEqual({ text: '摆摊', reporter: 'inspector', lat: 30.6, lng: 114.3, crs: 'gcj02' });
  });

  it('answers every kind of bad line with an error code, keeping the id when there is one', () => {
    expect(code('')).toBe('empty_line');
    expect(code('   ')).toBe('empty_line');
    expect(code('{"id":1,')).toBe('invalid_json');
    expect(code('[1,2]')).toBe('invalid_input');
    expect(code('"text"')).toBe('invalid_input');
    expect(code('{"id":1}')).toBe('invalid_text');
    expect(code('{"id":1,"text":"  "}')).toBe('empty_text');
    expect(code(JSON.stringify({ id: 1, text: '长'.repeat(MAX_TEXT_CHARS + 1) }))).toBe('text_too_long');
    expect(code('{"id":1,"text":"x","lat":91,"lng":114}')).toBe('invalid_coordinates');
    expect(code('{"id":1,"text":"x","lat":30.6}')).toBe('invalid_coordinates');
    expect(code('{"id":1,"text":"x","lat":"30.6","lng":"114"}')).toBe('invalid_coordinates');
    expect(code('{"id":1,"text":"x","reporter":"mayor"}')).toBe('invalid_reporter');
    expect(code('{"id":1,"text":"x","crs":"utm"}')).toBe('invalid_crs');
    expect(code('{"id":1,"text":"boom"}')).toBe('internal_error');
    expect(classifyLine(router, '{"id":"k","text":""}')).toMatchObject({ id: 'k' });
  });

  it('accepts a byte-order mark and null optional fields', () => {
    expect(code('\ufeff{"id":1,"text":"x","lat":null,"lng":null,"address":null}')).toBeNull();
  });

  it('passes a work order title on to the router, and refuses a bad one', () => {
    expect(code(JSON.stringify({ id: 1, title: '某路烧烤油烟扰民', text: '每晚油烟很大' }))).toBeNull();
    expect(seen.at(-1)).toEqual({ text: '每晚油烟很大', title: '某路烧烤油烟扰民' });
    expect(code('{"id":1,"text":"x","title":null}')).toBeNull();
    expect(code('{"id":1,"text":"x","title":5}')).toBe('invalid_title');
    expect(code(JSON.stringify({ id: 1, text: 'x', title: '题'.repeat(MAX_TITLE_CHARS + 1) }))).toBe('title_too_long');
  });
});
