import { describe, expect, it } from 'vitest';
import type { PowerItem } from '../power-list/power-list-types.ts';
import { toOpen311Request, type Open311CaseRecord } from './open311-request-fns.ts';
import { toOpen311Service, toServiceDefinition } from './open311-service-fns.ts';

const record: Open311CaseRecord = {
  number: 'JH-20260302-0001',
  status: 'accepted',
  handling: 'street',
  itemCode: 'SR-001',
  itemName: '占道经营',
  streetName: '万松街道',
  departmentName: null,
  lat: 30.594237,
  lng: 114.235912,
  note: null,
  mergedIntoNumber: null,
  createdAt: new Date('2026-03-02T01:00:00Z'),
  updatedAt: new Date('2026-03-02T02:00:00Z'),
  dueAt: new Date('2026-03-03T01:00:00Z'),
  photoKeys: ['k7', 'k9'],
};
const opts = { baseUrl: 'https://gridline.example.cn' };

describe('toOpen311Request', () => {
  it('gives the public view: coarse place, handler, Beijing times, extended status', () => {
    expect(toOpen311Request(record, opts)).toEqual({
      service_request_id: 'JH-20260302-0001',
      status: 'open',
      status_notes: null,
      service_name: '占道经营',
      service_code: 'SR-001',
      description: null,
      agency_responsible: '万松街道城管执法队',
      service_notice: null,
      requested_datetime: '2026-03-02T09:00:00+08:00',
      updated_datetime: '2026-03-02T10:00:00+08:00',
      expected_datetime: '2026-03-03T09:00:00+08:00',
      address: '武汉市江汉区万松街道',
      address_id: null,
      zipcode: null,
      lat: 30.594,
      long: 114.236,
      media_url: null, // photos are published with the closed case only
      extended_attributes: {
        detailed_status: 'IN_PROGRESS',
        external_status_code: 'accepted',
        status_label: '处置中',
        duplicate_of: null,
      },
    });
  });

  it('redacts the outcome and links the first published photo of a closed case', () => {
    const r = toOpen311Request({ ...record, status: 'closed', note: '已处理，当事人电话13912345678' }, opts);
    expect(r.status_notes).toBe('已处理，当事人电话[电话已隐去]');
    expect(r.media_url).toBe('https://gridline.example.cn/api/public/attachments/k7');
  });

  it('names the case a duplicate joined and the department a referral went to', () => {
    const dup = toOpen311Request({ ...record, status: 'merged', mergedIntoNumber: 'JH-20260301-0009' }, opts);
    expect(dup.status_notes).toBe('与案件JH-20260301-0009重复，已并入该案件办理');
    expect(dup.extended_attributes).toMatchObject({ detailed_status: 'DUPLICATE', duplicate_of: 'JH-20260301-0009' });
    const referred = toOpen311Request(
      { ...record, status: 'dispatched', handling: 'department', departmentName: '市场监管', lat: null },
      opts,
    );
    expect(referred).toMatchObject({ agency_responsible: '市场监管', lat: null, long: null });
    expect(referred.extended_attributes.detailed_status).toBe('INTERNAL_REFERRAL');
  });
});

const item: PowerItem = {
  code: 'SR-001',
  name: '占道经营',
  level: 'street',
  post: '市容市政',
  department: null,
  legalBasis: '《城市市容和环境卫生管理条例》',
  keywords: ['摆摊^3', '流动摊贩', '占道'],
  responseHours: 2,
  handlingHours: 24,
  timeBasis: 'working',
  urgent: false,
  mode721: 'service',
};

describe('power-list items as Open311 services', () => {
  it('lists an item with its post as group and its plain keywords', () => {
    expect(toOpen311Service(item)).toEqual({
      service_code: 'SR-001',
      service_name: '占道经营',
      description: '街道承办：市容市政。受理时限2工作小时，办结时限24工作小时',
      metadata: true,
      type: 'realtime',
      keywords: '摆摊, 流动摊贩, 占道',
      group: '市容市政',
    });
    expect(toOpen311Service({ ...item, level: 'department', post: null, department: '公安' }).group).toBe('公安');
  });

  it('defines information-only attributes: handler, deadlines, legal basis', () => {
    const def = toServiceDefinition(item);
    expect(def.service_code).toBe('SR-001');
    expect(def.attributes.map((a) => [a.code, a.variable, a.order])).toEqual([
      ['HANDLER', false, 1],
      ['DEADLINE', false, 2],
      ['LEGAL_BASIS', false, 3],
    ]);
    expect(def.attributes[2]!.description).toContain('城市市容和环境卫生管理条例');
  });
});
