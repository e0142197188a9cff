import { describe, expect, it } from 'vitest';
import { demoModeNotice } from './config-schema.ts';
import { ConfigError, loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({}, '/srv/gridline', false);
    expect(c.PORT).toBe(3000);
    expect(c.dataDir).toBe('/srv/gridline/data');
    expect(c.DATABASE_URL).toBe('file:/srv/gridline/data/gridline.db');
    expect(c.DEMO_MODE).toBe(true);
    expect(c.telegramEnabled).toBe(false);
  });

  it('takes a PostgreSQL URL beside DATA_DIR (photos stay in DATA_DIR), and refuses other databases', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://gridline@127.0.0.1:5432/gridline' }, '/srv/gridline', false);
    expect(c.DATABASE_URL).toBe('postgresql://gridline@127.0.0.1:5432/gridline');
    expect(c.dataDir).toBe('/srv/gridline/data');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x@y/z' }, '/x', false)).toThrow(ConfigError);
  });

  it('keeps files under DATA_DIR by default, and refuses FILES_STORE=s3 without its bucket and keys', () => {
    expect(loadConfig({}, '/x', false).FILES_STORE).toBe('local');
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, '/x', false);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ FILES_STORE: 's3' })).toEqual([
      'S3_BUCKET: required when FILES_STORE=s3',
      'S3_ACCESS_KEY_ID: required when FILES_STORE=s3',
      'S3_SECRET_ACCESS_KEY: required when FILES_STORE=s3',
    ]);
    expect(problems({ FILES_STORE: 'ftp' })[0]).toMatch(/^FILES_STORE: local \(files under DATA_DIR\) or s3/);
    expect(
      problems({ FILES_STORE: 's3', S3_BUCKET: 'Photos_1', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' })[0],
    ).toMatch(/^S3_BUCKET: must be a bucket name/);
    expect(problems({ S3_ENDPOINT: 'minio:9000' })[0]).toMatch(/^S3_ENDPOINT: must be an http\(s\) URL/);
    const s3 = loadConfig(
      { FILES_STORE: 's3', S3_BUCKET: 'gridline-photos', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' },
      '/x',
      false,
    );
    expect(s3).toMatchObject({ FILES_STORE: 's3', S3_BUCKET: 'gridline-photos', S3_REGION: 'us-east-1' });
  });

  it('turns demo mode off once a messenger is configured, unless asked for', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc' }, '/x', false).DEMO_MODE).toBe(false);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', DEMO_MODE: 'true' }, '/x', false).DEMO_MODE).toBe(true);
  });

  it('turns WeCom on when its corp id and secret are set, with the official API root by default', () => {
    const off = loadConfig({ WECOM_CORP_ID: 'ww1' }, '/x', false);
    expect(off.wecomEnabled).toBe(false);
    const on = loadConfig({ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's', WECOM_AGENT_ID: '1000002' }, '/x', false);
    expect(on.wecomEnabled).toBe(true);
    expect(on.WECOM_API_ROOT).toBe('https://qyapi.weixin.qq.com');
    expect(on.DEMO_MODE).toBe(false);
    expect(() => loadConfig({ WECOM_AES_KEY: 'short' }, '/x', false)).toThrow(ConfigError);
  });

  it('turns the 公众号 on with its app id and secret, and demo mode off with it', () => {
    const off = loadConfig({ WECHAT_MP_APP_ID: 'wx1' }, '/x', false);
    expect(off.mpEnabled).toBe(false);
    expect(off.WECHAT_MP_API_ROOT).toBe('https://api.weixin.qq.com');
    const on = loadConfig({ WECHAT_MP_APP_ID: 'wx1', WECHAT_MP_SECRET: 's' }, '/x', false);
    expect(on).toMatchObject({ mpEnabled: true, DEMO_MODE: false, demoModeSource: 'messenger' });
    expect(() => loadConfig({ WECHAT_MP_AES_KEY: 'too-short' }, '/x', false)).toThrow(/WECHAT_MP_AES_KEY/);
  });

  it('keeps demo mode on by default only while listening on loopback', () => {
    expect(loadConfig({ HOST: '127.0.0.1' }, '/x', false).DEMO_MODE).toBe(true);
    expect(loadConfig({ HOST: 'localhost' }, '/x', false).DEMO_MODE).toBe(true);
    expect(loadConfig({ HOST: '::1' }, '/x', false).DEMO_MODE).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0' }, '/x', false).DEMO_MODE).toBe(false);
    expect(loadConfig({ HOST: '::' }, '/x', false).DEMO_MODE).toBe(false);
    expect(loadConfig({ HOST: '10.0.0.5' }, '/x', false).DEMO_MODE).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', DEMO_MODE: 'true' }, '/x', false).DEMO_MODE).toBe(true);
  });

  it('says at start-up, loudly when it matters, whether demo mode is on and why', () => {
    const open = demoModeNotice(loadConfig({ HOST: '0.0.0.0', DEMO_MODE: 'true' }, '/x', false));
    expect(open.level).toBe('warn');
    expect(open.message).toMatch(/DEMO MODE ON.*0\.0\.0\.0.*district administrator/s);
    const local = demoModeNotice(loadConfig({}, '/x', false));
    expect(local.level).toBe('warn');
    expect(local.message).toMatch(/DEMO MODE ON.*loopback/s);
    const off = demoModeNotice(loadConfig({ HOST: '0.0.0.0' }, '/x', false));
    expect(off.level).toBe('info');
    expect(off.message).toMatch(/demo mode off.*DEMO_MODE=true/s);
  });

  it('trusts X-Forwarded-For only from configured proxies', () => {
    expect(loadConfig({}, '/x', false).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }, '/x', false).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' }, '/x', false)).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' }, '/x', false)).toThrow(/TRUST_PROXY/);
  });

  it('names the variable that is wrong and why', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, '/x', false)).toThrow(/PORT: must be a number/);
    expect(() => loadConfig({ CASE_NUMBER_PREFIX: 'jh-1' }, '/x', false)).toThrow(/CASE_NUMBER_PREFIX/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 't', TELEGRAM_MODE: 'webhook' }, '/x', false)).toThrow(ConfigError);
  });

  it('reads the housekeeping limits and refuses nonsense', () => {
    const c = loadConfig({}, '/x', false);
    expect([c.WAL_LIMIT_MB, c.PROCESSED_UPDATE_RETENTION_DAYS, c.EXPIRED_LOGIN_RETENTION_DAYS]).toEqual([16, 30, 7]);
    expect(() => loadConfig({ WAL_LIMIT_MB: '0' }, '/x', false)).toThrow(/WAL_LIMIT_MB/);
    // Telegram redelivers for a day: a shorter memory would answer a redelivery a second time.
    expect(() => loadConfig({ PROCESSED_UPDATE_RETENTION_DAYS: '1' }, '/x', false)).toThrow(
      /PROCESSED_UPDATE_RETENTION_DAYS/,
    );
  });

  it('reads the PostgreSQL pool size, unset by default (2 × cores + 1), and refuses nonsense', () => {
    expect(loadConfig({}, '/x', false).PG_POOL_SIZE).toBeUndefined();
    expect(loadConfig({ PG_POOL_SIZE: '3' }, '/x', false).PG_POOL_SIZE).toBe(3);
    expect(() => loadConfig({ PG_POOL_SIZE: '0' }, '/x', false)).toThrow(/PG_POOL_SIZE/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }, '/x', false).PORT).toBe(3000);
  });
});
