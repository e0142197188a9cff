import { describe, expect, it } from 'vitest';
import { parseSubmission, reportText } from './open311-submit-fns.ts';

const base = { service_code: 'SR-001', lat: '30.59', long: '114.25' };

describe('Open311 POST requests arguments', () => {
  it('reads the specification arguments, attribute[…] included', () => {
    const s = parseSubmission({
      ...base,
      description: ' 路口有人摆摊 ',
      email: 'a@example.com',
      first_name: '小明',
      last_name: '王',
      phone: '13912345678',
      device_id: 'D1',
      account_id: 'A1',
      media_url: 'https://example.com/p.jpg',
      'attribute[WHERE]': '东侧',
      'attribute[KINDS]': ['水果', '蔬菜'],
      api_key: 'ignored here',
    });
    expect(s).toEqual({
      serviceCode: 'SR-001',
      lat: 30.59,
      lng: 114.25,
      addressString: null,
      description: '路口有人摆摊',
      mediaUrl: 'https://example.com/p.jpg',
      contact: { email: 'a@example.com', firstName: '小明', lastName: '王', phone: '13912345678' },
      deviceId: 'D1',
      accountId: 'A1',
      attributes: { WHERE: '东侧', KINDS: ['水果', '蔬菜'] },
    });
  });

  it('accepts address_string instead of coordinates', () => {
    expect(parseSubmission({ service_code: 'SR-001', address_string: '江汉路步行街88号' })).toMatchObject({
      lat: null,
      lng: null,
      addressString: '江汉路步行街88号',
    });
  });

  it('refuses what the specification does not allow, in Chinese', () => {
    expect(() => parseSubmission(null)).toThrow('请求内容为空');
    expect(() => parseSubmission({ lat: '30.5', long: '114.2' })).toThrow('缺少 service_code');
    expect(() => parseSubmission({ service_code: 'SR-001' })).toThrow('须提供位置');
    expect(() => parseSubmission({ ...base, long: undefined })).toThrow('lat 与 long 须同时提供');
    expect(() => parseSubmission({ ...base, lat: 'north' })).toThrow('lat 不是有效的 WGS-84 坐标');
    expect(() => parseSubmission({ ...base, long: '181' })).toThrow('long 不是有效的 WGS-84 坐标');
    expect(() => parseSubmission({ ...base, description: 'x'.repeat(4001) })).toThrow('4000');
    expect(() => parseSubmission({ ...base, email: 'nobody' })).toThrow('email');
    expect(() => parseSubmission({ ...base, media_url: 'javascript:alert(1)' })).toThrow('media_url');
  });

  it('puts the chosen service first in the text the router reads', () => {
    expect(reportText('占道经营', '路口摆摊')).toBe('【占道经营】路口摆摊');
    expect(reportText('占道经营', null)).toBe('【占道经营】');
  });
});
