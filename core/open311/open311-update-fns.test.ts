import { describe, expect, it } from 'vitest';
import { toOpen311Update } from './open311-update-fns.ts';

const base = { id: 41, caseNumber: 'JH-20260302-0001', note: null, at: new Date('2026-03-02T03:00:00Z') };

describe('toOpen311Update', () => {
  it('carries the extended state and Gridline status of a step', () => {
    expect(toOpen311Update({ ...base, type: 'accepted', toStatus: 'accepted', note: '马上去' })).toEqual({
      update_id: '41',
      service_request_id: 'JH-20260302-0001',
      status: 'IN_PROGRESS',
      updated_datetime: '2026-03-02T11:00:00+08:00',
      description: '承办单位已接单处置', // a handler's remark on accepting is not published
      media_url: null,
      external_status_code: 'accepted',
    });
  });

  it('publishes the outcome and a rejection reason, redacted', () => {
    expect(
      toOpen311Update({ ...base, type: 'resolved', toStatus: 'resolved', note: '已清理，电话13912345678' }),
    ).toMatchObject({ status: 'IN_PROGRESS', description: '承办单位已办结，待核查：已清理，电话[电话已隐去]' });
    expect(toOpen311Update({ ...base, type: 'rejected', toStatus: 'rejected', note: '非城管职责' })).toMatchObject({
      status: 'NO_FURTHER_ACTION',
      description: '不予受理：非城管职责',
    });
  });

  it('marks a referral to a department as an internal referral', () => {
    expect(toOpen311Update({ ...base, type: 'referred', toStatus: 'dispatched' }).status).toBe('INTERNAL_REFERRAL');
    expect(toOpen311Update({ ...base, type: 'closed', toStatus: 'closed' }).status).toBe('FIXED');
  });
});
