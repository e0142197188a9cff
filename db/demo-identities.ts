import type { Db } from './prisma-client.ts';
import { DEMO_PREFIX, ensureDemoStaff } from './demo-staff.ts';

/**
 * Who one can be in the web chat in demo mode (DEMO_MODE). The staff are the dashboard's demo
 * staff (db/demo-staff.ts) of 万松街道, 市场监管 and the district bureau, so the chat and the
 * dashboard show the same people and a case reaches one team lead, not two. A resident is
 * never shared: each choice of 居民 creates a new one, so visitors do not see each other's reports.
 */
export interface DemoChoice {
  key: string;
  label: string;
  description: string;
  /** The db/demo-staff.ts key; null for the fresh resident. */
  staffKey: string | null;
}

export const DEMO_CHOICES: readonly DemoChoice[] = [
  {
    key: 'resident',
    label: '居民',
    description: '报告问题（文字、照片、位置），跟踪进度，评价处理结果',
    staffKey: null,
  },
  {
    key: 'inspector',
    label: '综合巡查员 · 万松街道',
    description: '巡查中上报发现、现场劝导整改、发送巡查日报',
    staffKey: 'inspector-万松街道',
  },
  {
    key: 'team_lead',
    label: '执法队长 · 万松街道',
    description: '接单、转派、办结、退回、上报区局；/queue 查看待办',
    staffKey: 'team_lead-万松街道',
  },
  { key: 'enforcer', label: '执法队员 · 万松街道', description: '办理队长转派的案件', staffKey: 'enforcer-万松街道' },
  {
    key: 'liaison',
    label: '部门联络人 · 市场监管',
    description: '接收移送案件并反馈办理结果',
    staffKey: 'liaison-scjg',
  },
  {
    key: 'district',
    label: '区城管执法局管理员',
    description: '处理上报区局的案件、审批缓办、督办全区',
    staffKey: 'district',
  },
];

/**
 * Creates the demo staff when the web chat starts in demo mode: a case a visitor reports as a
 * resident must already reach the demo team lead they switch to next.
 */
export async function prepareDemoIdentities(db: Db): Promise<void> {
  await ensureDemoStaff(db);
}

/** The demo staff person behind a choice, created on first use; null for an unknown choice. */
export async function demoStaffPersonId(db: Db, choiceKey: string): Promise<number | null> {
  const choice = DEMO_CHOICES.find((c) => c.key === choiceKey);
  if (!choice?.staffKey) return null;
  await ensureDemoStaff(db);
  const identity = await db.chatIdentity.findUnique({
    where: { channel_externalId: { channel: 'web', externalId: `${DEMO_PREFIX}${choice.staffKey}` } },
  });
  return identity?.personId ?? null;
}

/** A new resident with their own web chat (`p<personId>`). */
export async function createWebResident(db: Db, displayName = '网页居民'): Promise<number> {
  return db.$transaction(async (tx) => {
    const person = await tx.person.create({ data: { displayName, role: 'resident' } });
    await tx.chatIdentity.create({
      data: { channel: 'web', externalId: `p${person.id}`, chatId: `p${person.id}`, personId: person.id },
    });
    return person.id;
  });
}
