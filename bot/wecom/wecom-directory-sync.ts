// The administrator mapping from the WeCom directory (通讯录) to Gridline's staff: a WeCom
// department is a street's team, a tag is a role (config/wecom-directory.json). A sync reads the
// whole directory through the API and applies it: mapped members become staff of their street;
// a member disabled, not activated or gone from the directory loses staff powers at once.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { STAFF_ROLES, type Role } from '../../core/case/case-types.ts';
import type { WecomApi } from './wecom-api.ts';
import type { DirectoryMember, WecomDirectoryStore } from './wecom-ports.ts';

export const DEFAULT_DIRECTORY_FILE = new URL('../../config/wecom-directory.json', import.meta.url);

/** Roles a street team or the bureau hands out; a department's liaison is bound with a code. */
const MAPPED_ROLES = STAFF_ROLES.filter((r) => r !== 'dept_liaison') as [Role, ...Role[]];
const role = z.enum(MAPPED_ROLES);
const directorySchema = z.object({
  departments: z.array(
    z.object({
      id: z.number().int().positive(),
      /** The street's official code (Street.code, e.g. 420103002). */
      street: z.string().regex(/^\d{9,12}$/),
      /** The team's name; the street's own team (…街道城管执法队) when absent. */
      team: z.string().min(1).optional(),
    }),
  ),
  /** The first tag of a member that is listed here gives their role. */
  tags: z.array(z.object({ id: z.number().int().positive(), role })).default([]),
  /** The role of a mapped department's members who carry none of the tags; null: they are not staff. */
  defaultRole: role.nullable().default(null),
});
export type DirectoryConfig = z.infer<typeof directorySchema>;

export function readDirectoryConfig(file: URL | string = DEFAULT_DIRECTORY_FILE): DirectoryConfig {
  const parsed = directorySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`WeCom directory mapping ${String(file)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface SyncSummary {
  members: number;
  created: number;
  updated: number;
  deactivated: number;
}

/** Reads departments, members and tags, and maps every member (pure apart from the API reads). */
export async function readDirectory(
  api: Pick<WecomApi, 'listDepartments' | 'listMembers' | 'tagMembers'>,
  config: DirectoryConfig,
): Promise<DirectoryMember[]> {
  const departments = await api.listDepartments();
  const members = new Map<string, { name: string; department: number[]; status: number }>();
  // user/list lists a department's own members; walking every department covers the directory.
  for (const d of departments)
    for (const m of await api.listMembers(d.id))
      members.set(m.userid, { name: m.name, department: m.department, status: m.status });
  const roles = new Map<string, Role>();
  for (const t of config.tags) {
    const tagged = await api.tagMembers(t.id);
    const inParties = [...members].filter(([, m]) => m.department.some((d) => tagged.departmentIds.includes(d)));
    for (const userid of [...tagged.userids, ...inParties.map(([u]) => u)])
      if (!roles.has(userid)) roles.set(userid, t.role);
  }
  const mapped = new Map(config.departments.map((d) => [d.id, d]));
  return [...members].map(([userid, m]) => {
    const dept = m.department.map((d) => mapped.get(d)).find(Boolean);
    const r = dept ? (roles.get(userid) ?? config.defaultRole) : null;
    return {
      userid,
      name: m.name,
      active: m.status === 1,
      role: r,
      streetCode: dept?.street ?? null,
      teamName: dept?.team ?? null,
    };
  });
}

export async function syncDirectory(deps: {
  api: Pick<WecomApi, 'listDepartments' | 'listMembers' | 'tagMembers'>;
  store: WecomDirectoryStore;
  config: DirectoryConfig;
  now: Date;
}): Promise<SyncSummary> {
  const members = await readDirectory(deps.api, deps.config);
  const applied = await deps.store.apply(members, deps.now);
  return { members: members.length, ...applied };
}
