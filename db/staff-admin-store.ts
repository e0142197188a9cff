// Staff administration for the command line (scripts/staff.ts) and the dashboard's /staff page:
// one set of operations, permission-checked by core/staff/staff-admin-rules.ts, each written to
// the StaffChange trail with who did it. Every change is one IMMEDIATE transaction, so it waits
// for a running server's writes (busy_timeout) instead of failing.
import { OPEN_STATUSES, ROLES, type Role } from '../core/case/case-types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import {
  adminLabel,
  assertMayAdminister,
  assertMayGrantRole,
  assertMayManage,
  assertMayTransfer,
  parseCovers,
  roleLabel,
  STREET_ROLES,
  streetScope,
  type StaffAdmin,
} from '../core/staff/staff-admin-rules.ts';
import { issueBindCode } from './identity-store.ts';
import type { Db, Tx } from './prisma-client.ts';
import { issueApiToken } from './token-store.ts';

export interface StaffRow {
  id: number;
  displayName: string;
  role: string;
  active: boolean;
  streetName: string | null;
  departmentName: string | null;
  teamName: string | null;
  postName: string | null;
  channels: string[];
  liveTokens: number;
  openCases: number;
}

export interface PostRow {
  id: number;
  name: string;
  teamName: string;
  streetName: string | null;
  covers: string[];
  holders: number;
}

export interface ChangeRow {
  id: number;
  createdAt: Date;
  personId: number | null;
  action: string;
  summary: string;
  actorLabel: string;
}

export interface Done {
  personId: number | null;
  summary: string;
}

/** Who may hold a post: the people 转派 chooses from (staff-directory.ts teamMembers). */
const POST_ROLES: readonly Role[] = ['enforcer', 'team_lead'];

const person = (p: { id: number; displayName: string }) => `#${p.id} ${p.displayName}`;

async function record(
  tx: Tx,
  admin: StaffAdmin,
  personId: number | null,
  action: string,
  summary: string,
  data: unknown,
  now: Date,
): Promise<Done> {
  await tx.staffChange.create({
    data: { personId, action, summary, data: JSON.stringify(data), createdAt: now, ...adminLabel(admin) },
  });
  return { personId, summary };
}

async function loadPerson(tx: Tx, id: number) {
  const p = await tx.person.findUnique({ where: { id } });
  if (!p || p.role === 'resident') throw new NotFoundError(`没有编号为 ${id} 的工作人员`);
  return p;
}

async function streetByName(tx: Tx, name: string) {
  const s = await tx.street.findUnique({ where: { name } });
  if (!s) {
    const all = await tx.street.findMany({ orderBy: { code: 'asc' }, select: { name: true } });
    throw new ValidationError(`没有名为“${name}”的街道。可选：${all.map((x) => x.name).join('、')}`);
  }
  return s;
}

export function isRoleName(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function createStaffAdminStore(db: Db, clock: () => Date = () => new Date()) {
  return {
    async listStaff(
      admin: StaffAdmin,
      opts: { streetName?: string; includeInactive?: boolean } = {},
    ): Promise<StaffRow[]> {
      const scope = streetScope(admin);
      const street = opts.streetName ? await streetByName(db, opts.streetName) : null;
      if (scope !== null && street && street.id !== scope) throw new ValidationError('执法队长只能查看本街道的人员');
      const streetId = scope ?? street?.id;
      const people = await db.person.findMany({
        where: {
          role: { not: 'resident' },
          ...(opts.includeInactive ? {} : { active: true }),
          ...(streetId !== undefined ? { streetId } : {}),
        },
        include: {
          street: { select: { name: true } },
          department: { select: { name: true } },
          team: { select: { name: true } },
          identities: { select: { channel: true } },
          tokens: {
            where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: clock() } }] },
            select: { id: true },
          },
        },
        orderBy: [{ active: 'desc' }, { streetId: 'asc' }, { role: 'asc' }, { id: 'asc' }],
      });
      const postIds = [...new Set(people.map((p) => p.postId).filter((x): x is number => x !== null))];
      const posts = new Map(
        (await db.staffPost.findMany({ where: { id: { in: postIds } } })).map((p) => [p.id, p.name] as const),
      );
      const open = await db.case.groupBy({
        by: ['assigneeId'],
        where: { assigneeId: { in: people.map((p) => p.id) }, status: { in: [...OPEN_STATUSES] } },
        _count: { _all: true },
      });
      const openBy = new Map(open.map((o) => [o.assigneeId, o._count._all] as const));
      return people.map((p) => ({
        id: p.id,
        displayName: p.displayName,
        role: p.role,
        active: p.active,
        streetName: p.street?.name ?? null,
        departmentName: p.department?.name ?? null,
        teamName: p.team?.name ?? null,
        postName: p.postId !== null ? (posts.get(p.postId) ?? null) : null,
        channels: [...new Set(p.identities.map((i) => i.channel))],
        liveTokens: p.tokens.length,
        openCases: openBy.get(p.id) ?? 0,
      }));
    },

    /**
     * Ends every way the person signs in, at once: cookie sessions are deleted, API tokens
     * revoked and unused login links spent; their chat accounts stay theirs but act as a
     * resident's from the next message on (identity-store), so they can still report.
     */
    async deactivate(admin: StaffAdmin, personId: number): Promise<Done> {
      const now = clock();
      return db.$transaction(async (tx) => {
        const p = await loadPerson(tx, personId);
        assertMayManage(admin, p);
        if (!p.active) throw new ConflictError(`${person(p)} 已经停用`);
        await tx.person.update({ where: { id: p.id }, data: { active: false, deactivatedAt: now, postId: null } });
        const sessions = await tx.webSession.deleteMany({ where: { personId: p.id } });
        const tokens = await tx.apiToken.updateMany({
          where: { personId: p.id, revokedAt: null },
          data: { revokedAt: now },
        });
        const links = await tx.loginLink.updateMany({ where: { personId: p.id, usedAt: null }, data: { usedAt: now } });
        const chats = await tx.chatIdentity.count({ where: { personId: p.id } });
        const open = await tx.case.count({ where: { assigneeId: p.id, status: { in: [...OPEN_STATUSES] } } });
        const summary =
          `已停用 ${person(p)}（${roleLabel(p.role)}）：结束网页登录 ${sessions.count} 个，吊销 API 令牌 ${tokens.count} 个，` +
          `作废登录链接 ${links.count} 个；聊天账号 ${chats} 个即时失去工作人员权限（仍可作为居民报告）。` +
          (open ? `名下仍有在办案件 ${open} 件，请队长转派。` : '');
        return record(
          tx,
          admin,
          p.id,
          'deactivate',
          summary,
          { sessions: sessions.count, tokens: tokens.count, links: links.count, chats, open },
          now,
        );
      });
    },

    /** To another street (its team) or another team; the post stays behind with the old team. */
    async transfer(admin: StaffAdmin, personId: number, to: { streetName?: string; teamName?: string }): Promise<Done> {
      const now = clock();
      if (!to.streetName && !to.teamName) throw new ValidationError('请指定调往的街道或队伍');
      return db.$transaction(async (tx) => {
        const p = await loadPerson(tx, personId);
        assertMayManage(admin, p);
        if (!p.active) throw new ConflictError(`${person(p)} 已经停用，不能调动`);
        if (!STREET_ROLES.includes(p.role as Role))
          throw new ValidationError(`${roleLabel(p.role)}不属于街道队伍，不能调动；请先修改角色`);
        const team = to.teamName
          ? await tx.team.findUnique({ where: { name: to.teamName }, include: { street: true } })
          : await tx.team.findFirst({
              where: { streetId: (await streetByName(tx, to.streetName!)).id },
              orderBy: { id: 'asc' },
              include: { street: true },
            });
        if (!team) throw new ValidationError(`没有名为“${to.teamName ?? to.streetName}”的队伍`);
        if (to.streetName && team.street?.name !== to.streetName)
          throw new ValidationError(`${team.name}不属于${to.streetName}`);
        assertMayTransfer(admin, p.streetId, team.streetId);
        if (p.teamId === team.id && p.streetId === team.streetId)
          throw new ConflictError(`${person(p)} 已在${team.name}`);
        const from = p.streetId ? await tx.street.findUnique({ where: { id: p.streetId } }) : null;
        await tx.person.update({
          where: { id: p.id },
          data: { streetId: team.streetId, teamId: team.id, postId: null },
        });
        const open = await tx.case.count({ where: { assigneeId: p.id, status: { in: [...OPEN_STATUSES] } } });
        const summary =
          `已将 ${person(p)}（${roleLabel(p.role)}）从${from?.name ?? '未分配街道'}调往${team.street?.name ?? ''}${team.name}（队伍 #${team.id}）` +
          (p.postId ? '，原岗位已取消' : '') +
          (open ? `；名下仍有原街道在办案件 ${open} 件，请原街道队长转派` : '') +
          '。';
        return record(
          tx,
          admin,
          p.id,
          'transfer',
          summary,
          { fromStreetId: p.streetId, fromTeamId: p.teamId, toStreetId: team.streetId, toTeamId: team.id },
          now,
        );
      });
    },

    async changeRole(admin: StaffAdmin, personId: number, role: string): Promise<Done> {
      const now = clock();
      if (!isRoleName(role))
        throw new ValidationError(`没有这个角色：${role}。可选：${ROLES.filter((r) => r !== 'resident').join('、')}`);
      return db.$transaction(async (tx) => {
        const p = await loadPerson(tx, personId);
        assertMayManage(admin, p);
        assertMayGrantRole(admin, role, p.streetId);
        if (!p.active) throw new ConflictError(`${person(p)} 已经停用，不能修改角色`);
        if (p.role === role) throw new ConflictError(`${person(p)} 已经是${roleLabel(role)}`);
        if (STREET_ROLES.includes(role) && p.streetId === null)
          throw new ValidationError(`${roleLabel(role)}须属于一个街道：请先调往街道`);
        if (role === 'dept_liaison' && p.departmentId === null)
          throw new ValidationError('部门联络人须属于一个部门：请为其另发绑定码');
        await tx.person.update({
          where: { id: p.id },
          data: { role, ...(POST_ROLES.includes(role) ? {} : { postId: null }) },
        });
        const postDropped = p.postId !== null && !POST_ROLES.includes(role);
        const summary = `已将 ${person(p)} 的角色从${roleLabel(p.role)}改为${roleLabel(role)}${postDropped ? '，原岗位已取消' : ''}。`;
        return record(tx, admin, p.id, 'role', summary, { from: p.role, to: role }, now);
      });
    },

    async listPosts(admin: StaffAdmin, streetName?: string): Promise<PostRow[]> {
      const scope = streetScope(admin);
      const street = streetName ? await streetByName(db, streetName) : null;
      const streetId = scope ?? street?.id;
      const posts = await db.staffPost.findMany({
        where: streetId !== undefined ? { team: { streetId } } : {},
        include: { team: { include: { street: true } } },
        orderBy: [{ teamId: 'asc' }, { id: 'asc' }],
      });
      const holders = await db.person.groupBy({
        by: ['postId'],
        where: { postId: { in: posts.map((p) => p.id) }, active: true },
        _count: { _all: true },
      });
      const count = new Map(holders.map((h) => [h.postId, h._count._all] as const));
      return posts.map((p) => ({
        id: p.id,
        name: p.name,
        teamName: p.team.name,
        streetName: p.team.street?.name ?? null,
        covers: JSON.parse(p.covers) as string[],
        holders: count.get(p.id) ?? 0,
      }));
    },

    /** A post on a street's team, covering item codes or categories of the active power list. */
    async definePost(admin: StaffAdmin, input: { streetName: string; name: string; covers: string }): Promise<Done> {
      const now = clock();
      const name = input.name.trim();
      if (!name || name.length > 30) throw new ValidationError('岗位名称须为 1–30 个字');
      const covers = parseCovers(input.covers);
      if (!covers.length) throw new ValidationError('请填写岗位负责的事项编号或类别，如 SR-001 或 市容市政');
      return db.$transaction(async (tx) => {
        const street = await streetByName(tx, input.streetName);
        const scope = streetScope(admin);
        if (scope !== null && scope !== street.id) throw new ValidationError('执法队长只能为本街道设置岗位');
        const team = await tx.team.findFirst({ where: { streetId: street.id }, orderBy: { id: 'asc' } });
        if (!team) throw new NotFoundError(`${street.name}没有执法队`);
        const version = await tx.powerListVersion.findFirst({ where: { active: true } });
        const items = version
          ? await tx.powerItem.findMany({ where: { versionId: version.id }, select: { code: true, post: true } })
          : [];
        const known = new Set(items.flatMap((i) => [i.code, i.post ?? '']).filter(Boolean));
        const unknown = covers.filter((c) => !known.has(c));
        if (unknown.length)
          throw new ValidationError(
            `权力清单中没有这些事项或类别：${unknown.join('、')}。类别有：${[...new Set(items.map((i) => i.post).filter(Boolean))].join('、')}`,
          );
        const existing = await tx.staffPost.findUnique({ where: { teamId_name: { teamId: team.id, name } } });
        const post = existing
          ? await tx.staffPost.update({ where: { id: existing.id }, data: { covers: JSON.stringify(covers) } })
          : await tx.staffPost.create({ data: { teamId: team.id, name, covers: JSON.stringify(covers) } });
        const summary = `已${existing ? '更新' : '设立'}岗位 #${post.id} ${name}（${team.name}），负责：${covers.join('、')}。`;
        return record(tx, admin, null, 'post_define', summary, { postId: post.id, teamId: team.id, covers }, now);
      });
    },

    /** Gives the person a post of their own team (by name), or none (postName null). */
    async assignPost(admin: StaffAdmin, personId: number, postName: string | null): Promise<Done> {
      const now = clock();
      return db.$transaction(async (tx) => {
        const p = await loadPerson(tx, personId);
        assertMayManage(admin, p);
        if (!p.active) throw new ConflictError(`${person(p)} 已经停用`);
        if (postName === null || postName.trim() === '') {
          if (p.postId === null) throw new ConflictError(`${person(p)} 没有岗位`);
          await tx.person.update({ where: { id: p.id }, data: { postId: null } });
          return record(tx, admin, p.id, 'post', `已取消 ${person(p)} 的岗位。`, { from: p.postId, to: null }, now);
        }
        if (!POST_ROLES.includes(p.role as Role) || p.streetId === null)
          throw new ValidationError('只有街道的执法队员和执法队长可以设岗（转派只在他们中选人）');
        const teamId =
          p.teamId ?? (await tx.team.findFirst({ where: { streetId: p.streetId }, orderBy: { id: 'asc' } }))?.id;
        const post = teamId
          ? await tx.staffPost.findUnique({ where: { teamId_name: { teamId, name: postName.trim() } } })
          : null;
        if (!post || teamId === undefined)
          throw new NotFoundError(`本队没有名为“${postName.trim()}”的岗位，请先设立岗位`);
        await tx.person.update({ where: { id: p.id }, data: { postId: post.id, teamId } });
        const summary = `已为 ${person(p)}（${roleLabel(p.role)}）设岗：#${post.id} ${post.name}，负责 ${(JSON.parse(post.covers) as string[]).join('、')}。`;
        return record(tx, admin, p.id, 'post', summary, { from: p.postId, to: post.id }, now);
      });
    },

    /** A one-time /bind code; returns it with the summary (the code itself is not in the trail). */
    async bindCode(
      admin: StaffAdmin,
      input: { role: string; displayName: string; streetName?: string; departmentName?: string; validHours?: number },
    ): Promise<Done & { code: string }> {
      const now = clock();
      if (!isRoleName(input.role)) throw new ValidationError(`没有这个角色：${input.role}`);
      const role = input.role;
      const name = input.displayName.trim();
      if (!name || name.length > 40) throw new ValidationError('姓名须为 1–40 个字');
      const street = input.streetName ? await streetByName(db, input.streetName) : null;
      if (STREET_ROLES.includes(role) && !street) throw new ValidationError(`${roleLabel(role)}须指定街道`);
      const department = input.departmentName
        ? await db.department.findUnique({ where: { name: input.departmentName } })
        : null;
      if (input.departmentName && !department) throw new ValidationError(`没有名为“${input.departmentName}”的部门`);
      if (role === 'dept_liaison' && !department) throw new ValidationError('部门联络人须指定部门');
      assertMayGrantRole(admin, role, street?.id ?? null);
      const hours = input.validHours ?? 72;
      if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 30) throw new ValidationError('有效期须为 1–720 小时');
      const code = await issueBindCode(db, {
        role,
        displayName: name,
        ...(street ? { streetName: street.name } : {}),
        ...(department ? { departmentName: department.name } : {}),
        validHours: hours,
        now,
      });
      const summary = `已为 ${name}（${roleLabel(role)}${street ? `，${street.name}` : ''}${department ? `，${department.name}` : ''}）生成一次性绑定码，${hours} 小时内有效；在聊天中发送 /bind 绑定码 即可绑定。`;
      const done = await db.$transaction((tx) =>
        record(tx, admin, null, 'bind_code', summary, { role, name, streetId: street?.id ?? null }, now),
      );
      return { ...done, code };
    },

    /** A new API token for an active member of staff; the token is shown once and never stored. */
    async apiToken(admin: StaffAdmin, personId: number, opts: { days?: number; label?: string } = {}) {
      const now = clock();
      return db.$transaction(async (tx) => {
        const p = await loadPerson(tx, personId);
        assertMayManage(admin, p);
        if (!p.active) throw new ConflictError(`${person(p)} 已经停用`);
        const issued = await issueApiToken(tx, p.id, opts.label ?? `staff ${now.toISOString().slice(0, 10)}`, {
          ...(opts.days !== undefined ? { days: opts.days } : {}),
          now,
        });
        const summary = `已为 ${person(p)}（${roleLabel(p.role)}）签发 API 令牌 #${issued.id}，有效期至 ${issued.expiresAt.toISOString().slice(0, 10)}。`;
        const done = await record(tx, admin, p.id, 'token', summary, { tokenId: issued.id }, now);
        return { ...done, token: issued.token, tokenId: issued.id, expiresAt: issued.expiresAt };
      });
    },

    /** Writes a change made elsewhere (token:create) to the trail. */
    async note(admin: StaffAdmin, personId: number | null, action: string, summary: string, data: unknown = {}) {
      return db.$transaction((tx) => record(tx, admin, personId, action, summary, data, clock()));
    },

    /** The latest changes this administrator may see (a team lead: those about their street's people). */
    async recentChanges(admin: StaffAdmin, limit = 50): Promise<ChangeRow[]> {
      assertMayAdminister(admin);
      const scope = streetScope(admin);
      const people =
        scope === null
          ? null
          : (await db.person.findMany({ where: { streetId: scope }, select: { id: true } })).map((p) => p.id);
      return db.staffChange.findMany({
        where:
          people === null
            ? {}
            : { OR: [{ personId: { in: people } }, { actorId: admin.kind === 'person' ? admin.actor.personId : -1 }] },
        orderBy: { id: 'desc' },
        take: limit,
        select: { id: true, createdAt: true, personId: true, action: true, summary: true, actorLabel: true },
      });
    },
  };
}

export type StaffAdminStore = ReturnType<typeof createStaffAdminStore>;
