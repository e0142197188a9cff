import { tmpdir } from 'node:os';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLlmAssist } from '../../app/create-llm-assist.ts';
import { createBundledJurisdiction } from '../../config/jurisdiction-data-file.ts';
import { loadPowerListFileSync } from '../../config/power-list-file.ts';
import { defaultPowerListPath } from '../../config/power-list-file.ts';
import { createAssistedRouter } from '../../core/routing/assisted-router.ts';
import { createLlmClient, type LlmClientOptions } from '../../llm/openai-llm-client.ts';
import { createRouter, toRoutedItem } from '../../core/routing/router.ts';
import type { RouteInput, Router, RoutingDecision } from '../../core/routing/routing-types.ts';
import {
  answer,
  offeredCodes,
  startFakeOpenAiServer,
  type FakeBehaviour,
  type FakeOpenAiServer,
} from '../helpers/fake-openai-server.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { testConfig } from '../helpers/test-config.ts';

const list = loadPowerListFileSync(defaultPowerListPath());
const item = (code: string) => list.items.find((i) => i.code === code)!;
let rulesRouter: Router;
let unsure: Router;

beforeAll(() => {
  rulesRouter = createRouter({ powerList: list, jurisdiction: createBundledJurisdiction() });
  // The rules torn between 环境卫生 and 市容市政: the kind of report the model is asked about.
  unsure = {
    version: list.version,
    route(input: RouteInput): RoutingDecision {
      const base = rulesRouter.route(input);
      return {
        ...base,
        handling: 'street',
        post: '环境卫生',
        department: null,
        item: toRoutedItem(item('HW-003'), list.version),
        confidence: 0.45,
        urgent: false,
        urgentAdvice: null,
        candidates: [
          { code: 'HW-003', name: item('HW-003').name, score: 2.55, evidence: ['砖头'] },
          { code: 'SR-001', name: item('SR-001').name, score: 2.1, evidence: ['卖早点'] },
          { code: 'CW-001', name: item('CW-001').name, score: 2.1, evidence: ['棚子'] },
        ],
        needsTriage: true,
        reasons: [
          '匹配清单事项 HW-003「乱倒建筑垃圾、装修垃圾」（环境卫生岗），命中：“砖头”',
          '属地管辖：该事项由所在街道城市管理执法队伍环境卫生岗办理',
          `依据：${item('HW-003').legalBasis}`,
          '与事项 SR-001「占道经营」难以区分，转人工分拣确认',
        ],
      };
    },
  };
});

const servers: FakeOpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(behaviour: FakeBehaviour, opts: Partial<LlmClientOptions> = {}, router: Router = unsure) {
  const server = await startFakeOpenAiServer(behaviour);
  servers.push(server);
  const clock = createFakeClock();
  const logs: Array<{ level?: number; llm?: Record<string, unknown> } & Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const llm = createLlmClient({
    baseURL: server.baseURL,
    apiKey: 'test-key',
    model: 'qwen-test',
    timeoutMs: 1000,
    logger,
    clock: clock.now,
    ...opts,
  });
  const assisted = createAssistedRouter({ router, powerList: list, llm, minModelConfidence: 0.8, logger });
  return { server, assisted, logs, clock };
}

const TEXT = '路口转角那块地 有人用砖头垒了个简易棚子卖早点';

describe('LLM assistance against an OpenAI-compatible server on loopback', () => {
  it('a confident model agreeing with the rules clears the triage; both views are recorded', async () => {
    const { server, assisted } = await setup(() => answer('HW-003', 0.9, '砖头堆在路口属于乱倒建筑垃圾。'));
    const d = await assisted.route({ text: TEXT });
    expect(d).toMatchObject({ item: { code: 'HW-003' }, post: '环境卫生', needsTriage: false, confidence: 0.9 });
    expect(d.assist).toMatchObject({
      rulesCode: 'HW-003',
      rulesConfidence: 0.45,
      modelCode: 'HW-003',
      modelConfidence: 0.9,
      modelReason: '砖头堆在路口属于乱倒建筑垃圾。',
      agreed: true,
      final: 'rules',
      outcome: 'ok',
      asked: 'rules_triage',
      model: 'qwen-test',
    });
    expect(d.reasons.some((r) => r.includes('转人工分拣'))).toBe(false);
    expect(d.reasons.at(-1)).toContain('辅助模型判断为 HW-003');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ model: 'qwen-test', response_format: { type: 'json_object' } });
    expect(offeredCodes(server.requests[0]!)).toEqual(['HW-003', 'SR-001', 'CW-001']);
  });

  it('a confident model disagreeing takes its item from the power list, leading the reasons', async () => {
    const { assisted } = await setup(() => answer('SR-001', 0.92, '卖早点是占道经营。'));
    const d = await assisted.route({ text: TEXT });
    expect(d).toMatchObject({
      handling: 'street',
      post: '市容市政',
      department: null,
      needsTriage: false,
      confidence: 0.92,
    });
    expect(d.item).toEqual(toRoutedItem(item('SR-001'), list.version));
    expect(d.assist).toMatchObject({ rulesCode: 'HW-003', modelCode: 'SR-001', agreed: false, final: 'model' });
    expect(d.reasons[0]).toContain('按模型判断分派');
    expect(d.reasons).toContain(`依据：${item('SR-001').legalBasis}`);
    expect(d.reasons.some((r) => r.startsWith('规则原判断：匹配清单事项 HW-003'))).toBe(true);
  });

  it('an unsure model disagreeing sends the case to a person and keeps the rules item', async () => {
    const { assisted } = await setup(() => answer('SR-001', 0.6));
    const d = await assisted.route({ text: TEXT });
    expect(d).toMatchObject({ item: { code: 'HW-003' }, needsTriage: true, confidence: 0.45 });
    expect(d.assist).toMatchObject({
      modelCode: 'SR-001',
      modelConfidence: 0.6,
      agreed: false,
      final: 'rules',
      outcome: 'ok',
    });
    expect(d.reasons.at(-1)).toContain('转人工分拣确认');
  });

  it.each([
    ['malformed JSON', '{"code": "SR-001", "confidence": }'],
    ['a code not among the candidates', JSON.stringify({ code: 'YS-GA-001', confidence: 0.99, reason: '打架' })],
    ['a confidence outside 0..1', JSON.stringify({ code: 'SR-001', confidence: 95, reason: '占道' })],
    ['prose without JSON', '我认为应该是占道经营。'],
    ['no content at all', null],
  ])('ignores %s and keeps the rules decision', async (_what, content) => {
    const { assisted } = await setup(() => ({ content }));
    const { assist, ...rest } = await assisted.route({ text: TEXT });
    expect(rest).toEqual(unsure.route({ text: TEXT }));
    expect(assist).toMatchObject({ outcome: 'invalid', modelCode: null, agreed: null, final: 'rules' });
  });

  it('reads the first JSON object from a server that ignores response_format', async () => {
    const { assisted } = await setup(() => ({
      content: '好的，结果如下：\n```json\n{"code": "HW-003", "confidence": 0.85, "reason": "建筑垃圾"}\n```',
    }));
    expect((await assisted.route({ text: TEXT })).assist).toMatchObject({ outcome: 'ok', modelCode: 'HW-003' });
  });

  it('a slow server: the route returns at the time limit with the rules result', async () => {
    // The server holds its answer until the test lets it go: the route must return without it.
    const gate = openGate();
    const { server, assisted } = await setup(() => gate.opened.then(() => answer('SR-001', 0.99)), { timeoutMs: 400 });
    const started = Date.now();
    const { assist, ...rest } = await assisted.route({ text: TEXT });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390); // not before the time limit
    expect(rest).toEqual(unsure.route({ text: TEXT }));
    expect(assist).toMatchObject({ outcome: 'timeout', modelCode: null });
    expect(server.requests).toHaveLength(1);
    gate.open();
  });

  it('500s open the circuit breaker: no HTTP calls while open, one probe after the pause', async () => {
    const { server, assisted, logs, clock } = await setup(() => ({ status: 500 }), {
      breakerFailures: 3,
      breakerOpenMs: 30_000,
    });
    for (let i = 0; i < 3; i++) expect((await assisted.route({ text: `${TEXT} ${i}` })).assist?.outcome).toBe('error');
    expect(server.requests).toHaveLength(3);
    expect(logs.some((l) => l.level === 40 && l.llm?.breaker === 'open')).toBe(true);
    for (let i = 3; i < 6; i++) {
      const d = await assisted.route({ text: `${TEXT} ${i}` });
      expect(d.assist?.outcome).toBe('skipped_breaker');
      expect(d.needsTriage).toBe(true);
    }
    expect(server.requests).toHaveLength(3); // no call while the breaker is open

    server.behave(() => answer('HW-003', 0.9));
    clock.advanceSeconds(30);
    expect((await assisted.route({ text: `${TEXT} probe` })).assist?.outcome).toBe('ok');
    expect((await assisted.route({ text: `${TEXT} after` })).assist?.outcome).toBe('ok');
    expect(server.requests).toHaveLength(5);
  });

  it('the same text again is answered from the cache: one HTTP call', async () => {
    const { server, assisted } = await setup(() => answer('SR-001', 0.9));
    const first = await assisted.route({ text: TEXT });
    const second = await assisted.route({ text: `  ${TEXT.replace(' ', '   ')} ` });
    expect(server.requests).toHaveLength(1);
    expect(second.assist?.outcome).toBe('cache_hit');
    expect(second.item).toEqual(first.item);
  });

  it('beyond the concurrency cap the model is skipped, not queued', async () => {
    // The first two calls are held by the server; the third must be answered while they wait.
    const gate = openGate();
    const { server, assisted } = await setup(() => gate.opened.then(() => answer('HW-003', 0.9)), {
      maxConcurrent: 2,
    });
    const pending = [1, 2, 3].map((i) => assisted.route({ text: `${TEXT} ${i}` }));
    expect((await pending[2]!).assist?.outcome).toBe('skipped_busy');
    gate.open();
    const results = await Promise.all(pending);
    expect(results.map((d) => d.assist?.outcome)).toEqual(['ok', 'ok', 'skipped_busy']);
    expect(server.requests).toHaveLength(2);
  });

  it('sends only the redacted report text and the candidates; logs carry no text', async () => {
    const { server, assisted, logs } = await setup(() => answer('HW-003', 0.9));
    const text = '我是张三，电话13912345678，身份证420102199001011234，门口有人用砖头搭棚子';
    await assisted.route({ text, reporter: 'resident', address: '江汉路步行街88号', lat: 30.5801, lng: 114.2834 });
    const seen = server.requests[0]!;
    expect(Object.keys(seen.body).sort()).toEqual(['messages', 'model', 'response_format', 'temperature']);
    expect(seen.body.messages).toHaveLength(2);
    expect(seen.body.messages![1]).toEqual({
      role: 'user',
      content: '我是张三，电话[手机号]，身份证[身份证号]，门口有人用砖头搭棚子',
    });
    const raw = JSON.stringify(seen.body);
    for (const secret of ['13912345678', '420102199001011234', '江汉路步行街88号', '30.58', '114.28', 'resident'])
      expect(raw).not.toContain(secret);
    expect(seen.headers.authorization).toBe('Bearer test-key');

    const calls = logs.filter((l) => l.msg === 'llm routing assist call');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.llm).toMatchObject({ outcome: 'ok', model: 'qwen-test', code: 'HW-003' });
    expect(typeof calls[0]!.llm?.latency_ms).toBe('number');
    const logged = JSON.stringify(logs);
    for (const secret of ['13912345678', '砖头', '张三']) expect(logged).not.toContain(secret);
  });

  it('a report the rules route confidently never reaches the model', async () => {
    const { server, assisted } = await setup(() => answer('HW-003', 0.9), {}, rulesRouter);
    const input = { text: '有人在人行道上摆摊卖水果，占道经营，行人都过不去' };
    const d = await assisted.route(input);
    expect(d).toEqual(rulesRouter.route(input));
    expect(d.assist).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });
});

describe('createLlmAssist', () => {
  it('is null without LLM settings, so nothing changes', () => {
    expect(
      createLlmAssist(testConfig(tmpdir()), pino({ level: 'silent' }), { router: rulesRouter, powerList: list }),
    ).toBeNull();
  });

  it('with LLM settings talks to the configured endpoint with the configured key and model', async () => {
    const server = await startFakeOpenAiServer((req) => answer(offeredCodes(req)[0] ?? null, 0.9));
    servers.push(server);
    const config = testConfig(tmpdir(), {
      LLM_BASE_URL: server.baseURL,
      LLM_API_KEY: 'district-key',
      LLM_MODEL: 'glm-local',
      LLM_TIMEOUT_MS: '2000',
    });
    const assisted = createLlmAssist(config, pino({ level: 'silent' }), { router: unsure, powerList: list });
    const d = await assisted!.route({ text: TEXT });
    expect(d.assist).toMatchObject({ outcome: 'ok', model: 'glm-local', agreed: true });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer district-key');
    expect(server.requests[0]!.body.model).toBe('glm-local');
  });
});

/** A promise the test resolves when it chooses: a fake server's answer held back until then. */
function openGate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
