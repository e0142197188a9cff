import { describe, expect, it } from 'vitest';
import { parseW3cDate, w3cDateTime } from './open311-date-fns.ts';
import { detailedStatus, open311Status, parseStatusFilter } from './open311-status-fns.ts';

describe('Open311 status', () => {
  it('keeps the spec status open until a case is closed, rejected or merged', () => {
    expect(['triage', 'dispatched', 'accepted', 'resolved'].map((s) => open311Status(s as never))).toEqual([
      'open',
      'open',
      'open',
      'open',
    ]);
    expect(['closed', 'rejected', 'merged'].map((s) => open311Status(s as never))).toEqual([
      'closed',
      'closed',
      'closed',
    ]);
  });

  it('maps the closed loop onto mySociety states, FIXED only once verified', () => {
    expect(detailedStatus({ status: 'triage', handling: 'street' })).toBe('INVESTIGATING');
    expect(detailedStatus({ status: 'dispatched', handling: 'street' })).toBe('ACTION_SCHEDULED');
    expect(detailedStatus({ status: 'dispatched', handling: 'department' })).toBe('INTERNAL_REFERRAL');
    expect(detailedStatus({ status: 'accepted', handling: 'street' })).toBe('IN_PROGRESS');
    expect(detailedStatus({ status: 'resolved', handling: 'street' })).toBe('IN_PROGRESS');
    expect(detailedStatus({ status: 'closed', handling: 'street' })).toBe('FIXED');
    expect(detailedStatus({ status: 'rejected', handling: 'street' })).toBe('NO_FURTHER_ACTION');
    expect(detailedStatus({ status: 'merged', handling: 'street' })).toBe('DUPLICATE');
  });

  it('reads a comma-delimited status filter and refuses anything else', () => {
    expect(parseStatusFilter('open')).toEqual(['triage', 'dispatched', 'accepted', 'resolved']);
    expect(parseStatusFilter('Closed')).toEqual(['closed', 'rejected', 'merged']);
    expect(parseStatusFilter('open,closed')).toHaveLength(7);
    expect(() => parseStatusFilter('fixed')).toThrow('status 只能是 open 或 closed');
    expect(() => parseStatusFilter(',')).toThrow();
  });
});

describe('Open311 dates', () => {
  it('writes W3C date-times in Beijing time with the offset', () => {
    expect(w3cDateTime(new Date('2026-03-01T17:30:05.123Z'))).toBe('2026-03-02T01:30:05+08:00');
  });

  it('reads W3C date-times with Z or an offset, and bare dates as Beijing midnight', () => {
    expect(parseW3cDate('2026-03-02T01:00:00Z', 'start_date').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseW3cDate('2026-03-02T09:00:00+08:00', 'x').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseW3cDate('1994-11-05T08:15:30-05:00', 'x').toISOString()).toBe('1994-11-05T13:15:30.000Z');
    expect(parseW3cDate('2026-03-02', 'x').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(parseW3cDate('2026-03-02T09:00:00 08:00', 'x').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(() => parseW3cDate('2026-03-02T09:00:00', 'end_date')).toThrow('end_date');
    expect(() => parseW3cDate('2026-13-45T00:00:00Z', 'end_date')).toThrow('end_date');
  });
});
