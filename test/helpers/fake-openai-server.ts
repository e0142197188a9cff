import Fastify from 'fastify';

/** One chat-completion request as the server received it. */
export interface SeenRequest {
  body: {
    model?: string;
    messages?: Array<{ role: string; content: string }>;
    response_format?: { type: string };
  } & Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** What the server does with a request: answer with content, fail with a status, and/or wait first. */
export type FakeReply =
  { content: string | null; delayMs?: number } | { status: number; message?: string; delayMs?: number };

export type FakeBehaviour = (req: SeenRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAiServer {
  /** Base URL with the /v1 prefix, as LLM_BASE_URL would be set. */
  baseURL: string;
  requests: SeenRequest[];
  /** Replace the behaviour for the following requests. */
  behave(fn: FakeBehaviour): void;
  close(): Promise<void>;
}

/** The candidate codes the client listed in its system prompt (lines "- CODE｜name｜…"). */
export function offeredCodes(req: SeenRequest): string[] {
  const system = req.body.messages?.find((m) => m.role === 'system')?.content ?? '';
  return [...system.matchAll(/^- ([^｜\n]+)｜/gm)].map((m) => m[1]!);
}

export const answer = (code: string | null, confidence: number, reason = '根据描述判断。'): FakeReply => ({
  content: JSON.stringify({ code, confidence, reason }),
});

/**
 * A local OpenAI-compatible endpoint on loopback (POST /v1/chat/completions, GET /v1/models) whose
 * answers the test decides: the client under test talks real HTTP to it.
 */
export async function startFakeOpenAiServer(
  initial: FakeBehaviour = () => answer(null, 0.5),
): Promise<FakeOpenAiServer> {
  let behaviour = initial;
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  app.get('/v1/models', async () => ({
    object: 'list',
    data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'test' }],
  }));
  app.post('/v1/chat/completions', async (request, reply) => {
    const seen: SeenRequest = { body: request.body as SeenRequest['body'], headers: request.headers };
    requests.push(seen);
    const r = await behaviour(seen);
    if (r.delayMs) await wait(r.delayMs);
    if ('status' in r)
      return reply.code(r.status).send({ error: { message: r.message ?? 'fake failure', type: 'server_error' } });
    return {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: seen.body.model ?? 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: r.content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    };
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseURL: `${address}/v1`,
    requests,
    behave(fn) {
      behaviour = fn;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await app.close();
    },
  };
}
