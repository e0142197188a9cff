import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gbkEncode } from '../../scripts/hotline-gbk.ts';
import { decodeCsv, readHotlineFile } from '../../server/hotline/hotline-file-read.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const FIXTURES = new URL('../fixtures/hotline/', import.meta.url);
const MONTH_CSV = readFileSync(new URL('jianghan-12345-2026-11.gbk.csv', FIXTURES));
const MONTH_XLSX = readFileSync(new URL('jianghan-12345-2026-11.xlsx', FIXTURES));
const MONTH_ROWS = decodeCsv(MONTH_CSV).trim().split('\r\n').length - 1;

// 2026-12-01 10:00 in Wuhan, a Tuesday: the month's orders are all in the past.
const clock = createFakeClock('2026-12-01T02:00:00Z');
let t: TestApp;
let admin: TestPerson;
let lead: TestPerson;
let resident: TestPerson;

const HEADER = '工单编号,受理时间,来电人,联系电话,诉求类型,诉求标题,诉求内容,诉求地址,所属街道,办理时限';
const csv = (lines: string[]) => Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');

async function importFile(name: string, bytes: Buffer) {
  const rows = await readHotlineFile(name, bytes, t.domain.hotline.mapping);
  return t.domain.hotline.imports.importRows(rows);
}
const caseOf = (ref: string) =>
  t.db.case.findFirstOrThrow({
    where: { externalRef: ref },
    include: { reporter: true, street: true, item: true },
  });

async function session(p: TestPerson): Promise<string> {
  const { token } = await t.app.sessions.open(p.id);
  return `gl_session=${token}`;
}
const csrfOf = (res: LightMyRequestResponse) => /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';

function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
  const boundary = '----gridline-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin', name: '区局' });
  lead = await f.person({ role: 'team_lead', street: '万松街道', name: '万松队长' });
  resident = await f.person({ role: 'resident', name: '居民', phone: '13800000000' });
});

afterAll(async () => {
  await t.close();
});

describe('a month of 12345 orders', () => {
  it('imports the GBK CSV once: every order a routed case that keeps its 工单编号, caller and deadline', async () => {
    expect(MONTH_ROWS).toBeGreaterThan(300);
    const report = await importFile('jianghan-12345-2026-11.gbk.csv', MONTH_CSV);
    expect(report.failed).toEqual([]);
    expect(report.created).toHaveLength(MONTH_ROWS);
    const cases = await t.db.case.findMany({ where: { externalSource: 'wuhan-12345' } });
    expect(cases).toHaveLength(MONTH_ROWS);
    expect(cases.every((c) => c.channel === 'hotline' && c.externalRef && c.externalDueAt && c.dueAt)).toBe(true);
    // Routed: a street for nearly every order (text, address or 所属街道), very few left to triage.
    expect(cases.filter((c) => c.streetId === null).length).toBeLessThan(MONTH_ROWS * 0.02);
    expect(cases.filter((c) => c.status === 'triage').length).toBeLessThan(MONTH_ROWS * 0.1);
    // Decoded from GBK: the Chinese text arrives intact.
    const first = await caseOf('WH202611010001');
    expect(first.text).toMatch(/^反映/);
    expect(first.reporter.phone).toMatch(/^139/);
    expect(first.reporter.displayName).toMatch(/(先生|女士)$/);
    expect(first.externalReceivedAt?.toISOString()).toMatch(/^2026-10-31T2|^2026-11-01/);
  }, 180_000);

  it('importing the same orders again (the XLSX of the same month) creates nothing', async () => {
    const before = { cases: await t.db.case.count(), people: await t.db.person.count() };
    const report = await importFile('jianghan-12345-2026-11.xlsx', MONTH_XLSX);
    expect(report.failed).toEqual([]);
    expect(report.created).toEqual([]);
    expect(report.skipped).toHaveLength(MONTH_ROWS);
    // Row numbers as Excel shows them: a title line, the header, then the first order on row 3.
    expect(report.skipped[0]).toMatchObject({ row: 3, ref: 'WH202611010001' });
    expect(await t.db.case.count()).toBe(before.cases);
    expect(await t.db.person.count()).toBe(before.people);
  }, 120_000);
});

describe('rows that cannot be orders', () => {
  it('reports malformed rows with their row numbers and imports the others', async () => {
    const report = await importFile(
      'bad.csv',
      csv([
        'WH2026120100001,2026/12/01 08:10,张先生,13900001111,投诉,占道经营,航空路每天有流动摊贩占道经营,江汉区航空路12号,万松街道,2026-12-03 17:30:00',
        ',2026/12/01 08:20,李女士,13900001112,投诉,占道经营,没有工单编号的行,江汉区航空路13号,万松街道,',
        'WH2026120100003,昨天,王先生,13900001113,投诉,小广告,楼道里到处贴小广告,江汉区航空路14号,万松街道,',
        'WH2026120100004,2026-12-01 08:40:00,赵女士,13900001114,投诉,油烟,楼下饭馆油烟直排,江汉区万松园路8号,万松街道,3个工作日',
        'WH2026120100001,2026/12/01 08:10,张先生,13900001111,投诉,占道经营,同一工单又出现一次,江汉区航空路12号,万松街道,',
      ]),
    );
    expect(report.created.map((c) => [c.row, c.ref])).toEqual([
      [2, 'WH2026120100001'],
      [5, 'WH2026120100004'],
    ]);
    expect(report.failed).toEqual([
      { row: 3, ref: null, reason: '缺少工单编号' },
      { row: 4, ref: 'WH2026120100003', reason: '受理时间“昨天”无法识别' },
    ]);
    expect(report.skipped).toEqual([{ row: 6, ref: 'WH2026120100001', reason: '与第 2 行工单编号重复' }]);
  });

  it('reads a GBK-encoded CSV (no BOM) as well as UTF-8', async () => {
    const text = `${HEADER}\r\nWH2026120100010,2026/12/01 09:00,刘先生,13900001120,投诉,渣土车,唐家墩路夜间渣土车撒漏,江汉区唐家墩路5号,唐家墩街道,\r\n`;
    const report = await importFile('gbk.csv', gbkEncode(text));
    expect(report.failed).toEqual([]);
    const c = await caseOf('WH2026120100010');
    expect(c.text).toBe('唐家墩路夜间渣土车撒漏'); // the title (渣土车) is in the text already
    expect(c.reporter.displayName).toBe('刘先生');
  });
});

describe('XLSX date cells', () => {
  it('reads date cells and Excel serial numbers as Wuhan wall time', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['工单编号', '受理时间', '诉求内容', '诉求地址', '所属街道', '办理时限']);
    // A date cell showing 2026-12-01 09:05 (exceljs writes a Date's UTC fields as the cell's wall time).
    ws.addRow([
      'WH2026120100070',
      new Date('2026-12-01T09:05:00Z'),
      '航空路占道经营',
      '江汉区航空路7号',
      '万松街道',
      46360.75,
    ]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const report = await importFile('dates.xlsx', bytes);
    expect(report.failed).toEqual([]);
    const c = await caseOf('WH2026120100070');
    expect(c.externalReceivedAt?.toISOString()).toBe('2026-12-01T01:05:00.000Z');
    // 46360.75 = 2026-12-04 18:00 in Wuhan
    expect(c.externalDueAt?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
  });
});

describe('deadlines and places', () => {
  it("keeps the hotline's deadline when it is earlier than the matter's, and the matter's otherwise", async () => {
    await importFile(
      'due.csv',
      csv([
        // Street-vending items allow days; the hotline gives 4 hours.
        'WH2026120100020,2026-12-01 09:00:00,周先生,13900001130,投诉,占道经营,万松园路有流动摊贩占道经营,江汉区万松园路20号,万松街道,2026-12-01 13:00:00',
        'WH2026120100021,2026-12-01 09:00:00,吴女士,13900001131,投诉,占道经营,万松园路有流动摊贩占道经营卖水果,江汉区万松园路90号,万松街道,2027-01-30 17:30:00',
      ]),
    );
    const early = await caseOf('WH2026120100020');
    expect(early.externalDueAt?.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(early.dueAt?.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    const late = await caseOf('WH2026120100021');
    expect(late.externalDueAt?.toISOString()).toBe('2027-01-30T09:30:00.000Z');
    expect(late.dueAt!.getTime()).toBeLessThan(late.externalDueAt!.getTime());
  });

  it('an order the rules cannot place goes to triage with its deadline, which registration keeps when earlier', async () => {
    await importFile(
      'triage.csv',
      csv([
        'WH2026120100025,2026-12-01 09:10:00,钱先生,13900001135,咨询,咨询,来电人咨询社区办理居住证需要带哪些材料,江汉区航空路1号,万松街道,2026-12-01 15:00:00',
      ]),
    );
    const c = await caseOf('WH2026120100025');
    expect(c.status).toBe('triage');
    expect(c.dueAt?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    const registered = await t.domain.cases.actions.act({ id: c.id }, 'register', admin.actor, {
      itemCode: 'SR-001',
      streetName: '万松街道',
    });
    expect(registered.status).toBe('dispatched');
    expect(registered.dueAt?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('uses 所属街道 when neither text nor address places the order', async () => {
    await importFile(
      'hint.csv',
      csv([
        'WH2026120100030,2026-12-01 09:30:00,孙先生,13900001140,投诉,占道经营,路口每天傍晚有流动摊贩占道经营,江汉区解放大道,北湖街,',
      ]),
    );
    const c = await caseOf('WH2026120100030');
    expect(c.street?.name).toBe('北湖街道');
    expect(c.routingReasons).toContain('按工单所属街道“北湖街道”办理');
  });
});

describe('POST /api/hotline/orders', () => {
  const orders = [
    {
      工单编号: 'WH2026120100040',
      受理时间: '2026-12-01 10:00:00',
      来电人: '郑女士',
      联系电话: '13900001150',
      诉求内容: '前进四路路边烧烤摊占道经营到凌晨',
      诉求地址: '江汉区前进四路3号',
      所属街道: '前进街道',
      办理时限: '2026-12-04 17:30:00',
    },
    {
      ref: 'WH2026120100041',
      receivedAt: '2026-12-01T10:05:00+08:00',
      text: '单洞路井盖缺失',
      address: '江汉区单洞路',
    },
    { 工单编号: 'WH2026120100042', 诉求内容: '没有受理时间' },
  ];
  const post = (auth: string | undefined, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/hotline/orders',
      headers: auth ? { authorization: auth } : {},
      payload: payload as object,
    });

  it('files pushed orders once, reports failures by position, and is idempotent', async () => {
    const first = await post(admin.auth.authorization, orders);
    expect(first.statusCode).toBe(200);
    const r1 = first.json();
    expect(r1.created.map((c: { ref: string }) => c.ref)).toEqual(['WH2026120100040', 'WH2026120100041']);
    expect(r1.failed).toEqual([{ row: 3, ref: 'WH2026120100042', reason: '缺少受理时间' }]);
    const again = (await post(admin.auth.authorization, orders)).json();
    expect(again.created).toEqual([]);
    expect(again.skipped.map((s: { ref: string }) => s.ref)).toEqual(['WH2026120100040', 'WH2026120100041']);
    expect(await t.db.case.count({ where: { externalRef: { startsWith: 'WH202612010004' } } })).toBe(2);
  });

  it('takes numbers where systems send them (phone, Excel serial date)', async () => {
    const res = await post(admin.auth.authorization, [
      { 工单编号: 'WH2026120100043', 受理时间: 46357.5, 诉求内容: '航空路井盖缺失', 联系电话: 13900001153 },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json().created).toHaveLength(1);
    const c = await caseOf('WH2026120100043');
    expect(c.externalReceivedAt?.toISOString()).toBe('2026-12-01T04:00:00.000Z'); // 12:00 in Wuhan
    expect(c.reporter.phone).toBe('13900001153');
  });

  it('needs a token of a role allowed to import, and an array of orders', async () => {
    expect((await post(undefined, orders)).statusCode).toBe(401);
    expect((await post(lead.auth.authorization, orders)).statusCode).toBe(403);
    expect((await post(resident.auth.authorization, orders)).statusCode).toBe(403);
    const bad = await post(admin.auth.authorization, { 工单编号: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBeTruthy();
  });
});

describe('the dashboard page', () => {
  it('lets the bureau upload an export (with the form token) and shows the report with row numbers', async () => {
    const cookie = await session(admin);
    const page = await t.app.inject({ url: '/hotline', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const token = csrfOf(page);
    expect(token).not.toBe('');
    const file = {
      name: 'upload.csv',
      bytes: csv([
        'WH2026120100050,2026-12-01 11:00:00,冯先生,13900001160,投诉,小广告,清芬路电线杆上到处贴小广告,江汉区清芬路2号,满春街道,',
        'WH2026120100051,,陈女士,13900001161,投诉,小广告,缺受理时间,江汉区清芬路3号,满春街道,',
      ]),
    };
    const noToken = multipart({}, file);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/hotline/import',
      headers: { cookie, 'content-type': noToken.contentType },
      payload: noToken.payload,
    });
    expect(refused.statusCode).toBe(403);
    expect(await t.db.case.count({ where: { externalRef: 'WH2026120100050' } })).toBe(0);

    const form = multipart({ _csrf: token }, file);
    const res = await t.app.inject({
      method: 'POST',
      url: '/hotline/import',
      headers: { cookie, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('新建 1');
    expect(res.body).toMatch(/<td>失败<\/td><td>3<\/td><td>WH2026120100051<\/td><td>缺少受理时间<\/td>/);
  });

  it('is for the bureau only', async () => {
    const res = await t.app.inject({ url: '/hotline', headers: { cookie: await session(lead) } });
    expect(res.statusCode).toBe(403);
  });
});

describe('results back to the hotline, and privacy', () => {
  const REF = 'WH2026120100060';
  const CALLER_PHONE = '13900001170';

  beforeAll(async () => {
    await importFile(
      'close.csv',
      csv([
        `${REF},2026-12-01 11:30:00,蒋女士,${CALLER_PHONE},投诉,占道经营,万松园路流动摊贩占道经营,江汉区万松园路66号,万松街道,2026-12-04 17:30:00`,
      ]),
    );
    const c = await caseOf(REF);
    const { actions } = t.domain.cases;
    const inspector = await createCaseFactory(t.db).person({ role: 'inspector', street: '万松街道' });
    clock.advanceHours(1);
    await actions.act({ id: c.id }, 'accept', lead.actor);
    clock.advanceHours(2);
    await actions.act({ id: c.id }, 'resolve', lead.actor, {
      note: `已劝离摊贩，已电话回访来电人（${CALLER_PHONE}）`,
      mode721: 'service',
    });
    clock.advanceHours(1);
    await actions.act({ id: c.id }, 'verify', inspector.actor);
  });

  it('exports 办理结果, 答复意见 (redacted) and 办结时间 in the hotline layout, as XLSX and CSV', async () => {
    const cookie = await session(admin);
    const res = await t.app.inject({ url: '/exports/hotline.xlsx?from=2026-12-01&to=2026-12-01', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['工单编号', '办理结果', '答复意见', '办结时间', '承办单位', '网格通案件编号']);
    const rows = ws.getSheetValues().slice(2) as unknown[][];
    const row = rows.find((r) => r[1] === REF)!;
    expect(row[2]).toBe('已办结');
    expect(row[3]).toBe('已劝离摊贩，已电话回访来电人（[电话已隐去]）');
    expect(row[4]).toBe('2026-12-01 14:00:00'); // closed (verified) at 14:00 Wuhan time
    expect(row[5]).toBe('万松街道');
    // Only orders received in the period, and every order of it (closed or not).
    const refs = rows.map((r) => r[1]);
    expect(refs).not.toContain('WH202611300001');
    expect(refs).toContain('WH2026120100040');

    const csvRes = await t.app.inject({
      url: '/exports/hotline.csv?from=2026-12-01&to=2026-12-01',
      headers: { cookie },
    });
    expect(csvRes.body).toContain(`${REF},已办结,已劝离摊贩`);
    const bad = await t.app.inject({ url: '/exports/hotline.csv?from=2026-12-02&to=2026-12-01', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
  });

  it('the month round-trips: every order of November comes back with its result', async () => {
    const cookie = await session(admin);
    const res = await t.app.inject({ url: '/exports/hotline.csv?from=2026-11-01&to=2026-11-30', headers: { cookie } });
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(MONTH_ROWS + 1);
    expect(lines[1]).toMatch(/^WH202611010001,(已转办|办理中|待分拣),/);
  });

  it("never publishes the caller's name or phone", async () => {
    const api = await t.app.inject({ url: '/api/public/cases' });
    expect(api.statusCode).toBe(200);
    const c = await caseOf(REF);
    expect(api.body).toContain(c.number);
    expect(api.body).not.toContain(CALLER_PHONE);
    expect(api.body).not.toContain('蒋女士');
    const page = await t.app.inject({ url: '/public' });
    expect(page.body).toContain(c.number);
    expect(page.body).not.toContain(CALLER_PHONE);
    expect(page.body).not.toContain('蒋女士');
  });
});

describe('the case as staff see it', () => {
  it('shows the 工单编号 and the hotline deadline on the case page and in the API', async () => {
    const c = await caseOf('WH2026120100020');
    const lead2 = await createCaseFactory(t.db).person({ role: 'team_lead', street: '万松街道' });
    const api = await t.app.inject({ url: `/api/cases/${c.number}`, headers: lead2.auth });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({
      channel: 'hotline',
      externalRef: 'WH2026120100020',
      externalDueAt: '2026-12-01T05:00:00.000Z',
    });
    const page = await t.app.inject({ url: `/cases/${c.number}`, headers: { cookie: await session(lead2) } });
    expect(page.body).toContain('WH2026120100020');
    expect(page.body).toContain('12345 热线');
  });
});

describe('bad input and concurrent imports', () => {
  it('answers a file that is no hotline export with a clear 400, and keeps nothing', async () => {
    const cookie = await session(admin);
    const token = csrfOf(await t.app.inject({ url: '/hotline', headers: { cookie } }));
    const before = await t.db.case.count();
    for (const file of [
      { name: 'notes.csv', bytes: Buffer.from('姓名,备注\r\n张三,你好\r\n', 'utf8') },
      { name: 'broken.xlsx', bytes: Buffer.from('PK\u0003\u0004 not really a zip', 'latin1') },
    ]) {
      const form = multipart({ _csrf: token }, file);
      const res = await t.app.inject({
        method: 'POST',
        url: '/hotline/import',
        headers: { cookie, 'content-type': form.contentType },
        payload: form.payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/找不到表头|无法读取/);
    }
    const nested = await t.app.inject({
      method: 'POST',
      url: '/api/hotline/orders',
      headers: admin.auth,
      payload: [{ 工单编号: 'WH2026120100080', 诉求内容: { text: 'x' } }],
    });
    expect(nested.statusCode).toBe(400);
    expect(await t.db.case.count()).toBe(before);
  });

  it('two imports of the same orders at once file each order once', async () => {
    const bytes = csv([
      'WH2026120100090,2026-12-01 12:00:00,韩先生,13900001190,投诉,占道经营,航空路流动摊贩占道经营,江汉区航空路9号,万松街道,',
      'WH2026120100091,2026-12-01 12:01:00,杨女士,13900001191,投诉,小广告,航空路电线杆上贴小广告,江汉区航空路10号,万松街道,',
    ]);
    const [a, b] = await Promise.all([importFile('a.csv', bytes), importFile('b.csv', bytes)]);
    expect(a.created.length + b.created.length).toBe(2);
    expect(a.skipped.length + b.skipped.length).toBe(2);
    expect(await t.db.case.count({ where: { externalRef: { in: ['WH2026120100090', 'WH2026120100091'] } } })).toBe(2);
  });
});
