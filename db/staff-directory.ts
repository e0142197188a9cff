import type { StaffDirectory } from '../bot/bot-ports.ts';
import { postCovers } from '../core/staff/staff-admin-rules.ts';
import type { Db } from './prisma-client.ts';

export function createStaffDirectory(db: Db): StaffDirectory {
  return {
    async teamMembers(streetId, item) {
      const people = await db.person.findMany({
        where: { streetId, role: { in: ['enforcer', 'team_lead'] }, active: true },
        orderBy: [{ role: 'asc' }, { id: 'asc' }],
        take: 30,
      });
      const postIds = [...new Set(people.map((p) => p.postId).filter((id): id is number => id !== null))];
      const posts = new Map(
        (await db.staffPost.findMany({ where: { id: { in: postIds } } })).map(
          (p) => [p.id, { name: p.name, covers: JSON.parse(p.covers) as string[] }] as const,
        ),
      );
      const members = people.map((p) => {
        const post = p.postId !== null ? posts.get(p.postId) : undefined;
        const covers = !!item && !!post && postCovers(post.covers, { itemCode: item.code, post: item.post });
        // The post is named on the button, so a lead sees why someone comes first.
        return { personId: p.id, name: post ? `${p.displayName}（${post.name}）` : p.displayName, covers };
      });
      // Stable: within each group the order stays enforcers first, then by id.
      return [...members.filter((m) => m.covers), ...members.filter((m) => !m.covers)].map(({ personId, name }) => ({
        personId,
        name,
      }));
    },
    async departments() {
      return db.department.findMany({
        where: { kind: 'department' },
        orderBy: { id: 'asc' },
        select: { code: true, name: true },
      });
    },
    async streets() {
      return db.street.findMany({ orderBy: { code: 'asc' }, select: { code: true, name: true } });
    },
    async teamLeads(streetId) {
      return (
        await db.person.findMany({ where: { streetId, role: 'team_lead', active: true }, select: { id: true } })
      ).map((p) => p.id);
    },
  };
}
