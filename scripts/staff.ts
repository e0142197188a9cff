// npm run staff -- list [--street 万松街道] [--all]
// npm run staff -- deactivate --id 12
// npm run staff -- transfer --id 12 (--street 民意街道 | --team 民意街道城管执法队)
// npm run staff -- role --id 12 --role enforcer
// npm run staff -- post list [--street 万松街道]
// npm run staff -- post define --street 万松街道 --name 占道经营岗 --covers SR-001,市容市政
// npm run staff -- post assign --id 12 --post 占道经营岗      (post clear --id 12 takes it away)
// Works while the server runs (it waits for the server's writes). Each change is written to the
// StaffChange trail as done by 命令行 and the operating-system user. Exit 0 when done, 1 otherwise.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { DomainError } from '../core/errors.ts';
import { roleLabel, type StaffAdmin } from '../core/staff/staff-admin-rules.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { createStaffAdminStore, type StaffRow } from '../db/staff-admin-store.ts';

const USAGE = `用法：npm run staff -- <命令> [参数]
  list [--street 街道] [--all]                       列出工作人员（--all 含已停用）
  deactivate --id 人员编号                            停用：即时结束网页登录、API 令牌、登录链接和聊天中的工作人员权限
  transfer --id 人员编号 (--street 街道 | --team 队伍)  调往其他街道或队伍
  role --id 人员编号 --role <inspector|enforcer|team_lead|dept_liaison|district_admin>
  post list [--street 街道]                           列出岗位
  post define --street 街道 --name 岗位名称 --covers 事项编号或类别,…   设立或更新岗位
  post assign --id 人员编号 --post 岗位名称              设岗
  post clear --id 人员编号                            取消岗位
另有：npm run bind-code:create（绑定码）、npm run token:create（API 令牌）、npm run token:revoke。`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(1);
}

const { values: a, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    id: { type: 'string' },
    street: { type: 'string' },
    team: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    covers: { type: 'string' },
    post: { type: 'string' },
    all: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [command, sub] = positionals;
const COMMANDS = ['list', 'deactivate', 'transfer', 'role', 'post'];
if (!command || !COMMANDS.includes(command)) fail(command ? `未知命令：${command}` : '请给出命令');
const personId = (): number => {
  const n = Number(a.id);
  if (!a.id || !Number.isInteger(n) || n < 1) fail('请用 --id 给出人员编号（正整数，见 npm run staff -- list）');
  return n;
};

function staffLine(p: StaffRow): string {
  const where = [
    p.streetName,
    p.teamName && p.teamName !== `${p.streetName}城管执法队` ? p.teamName : null,
    p.departmentName,
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `#${p.id}`,
    p.displayName,
    roleLabel(p.role),
    where || '—',
    p.postName ? `岗位:${p.postName}` : '岗位:—',
    `聊天:${p.channels.join('/') || '—'}`,
    `令牌:${p.liveTokens}`,
    `在办:${p.openCases}`,
    p.active ? '在岗' : '已停用',
  ].join('\t');
}

const config = loadConfig();
await applyMigrations(config.DATABASE_URL); // nothing (and no lock) when the schema is current
const db = await createPrismaClient(config.DATABASE_URL);
const store = createStaffAdminStore(db);
const admin: StaffAdmin = { kind: 'cli', label: `命令行（${os.userInfo().username}）` };
const out = (s: string) => process.stdout.write(`${s}\n`);
try {
  if (command === 'list') {
    const rows = await store.listStaff(admin, {
      ...(a.street ? { streetName: a.street } : {}),
      includeInactive: !!a.all,
    });
    for (const r of rows) out(staffLine(r));
    out(`共 ${rows.length} 人。`);
  } else if (command === 'deactivate') {
    out((await store.deactivate(admin, personId())).summary);
  } else if (command === 'transfer') {
    if (!a.street && !a.team) fail('请用 --street 或 --team 指定调往的街道或队伍');
    out(
      (
        await store.transfer(admin, personId(), {
          ...(a.street ? { streetName: a.street } : {}),
          ...(a.team ? { teamName: a.team } : {}),
        })
      ).summary,
    );
  } else if (command === 'role') {
    if (!a.role) fail('请用 --role 给出新角色');
    out((await store.changeRole(admin, personId(), a.role)).summary);
  } else if (sub === 'list' || sub === undefined) {
    const posts = await store.listPosts(admin, a.street);
    for (const p of posts) out(`#${p.id}\t${p.name}\t${p.teamName}\t负责:${p.covers.join('、')}\t在岗:${p.holders}`);
    out(`共 ${posts.length} 个岗位。`);
  } else if (sub === 'define') {
    if (!a.street || !a.name || !a.covers) fail('post define 需要 --street、--name 和 --covers');
    out((await store.definePost(admin, { streetName: a.street, name: a.name, covers: a.covers })).summary);
  } else if (sub === 'assign') {
    if (!a.post) fail('post assign 需要 --post 岗位名称');
    out((await store.assignPost(admin, personId(), a.post)).summary);
  } else if (sub === 'clear') {
    out((await store.assignPost(admin, personId(), null)).summary);
  } else fail(`未知的岗位命令：${sub}`);
} catch (err) {
  if (!(err instanceof DomainError)) throw err;
  process.stderr.write(`未完成：${err.message}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
