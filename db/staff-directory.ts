import type { StaffDirectory } from '../bot/bot-ports.ts';
import type { Db } from './prisma-client.ts';

export function createStaffDirectory(db: Db): StaffDirectory {
  return {
    async teamMembers(streetId) {
      const people = await db.person.findMany({
        where: { streetId, role: { in: ['enforcer', 'team_lead'] }, active: true },
        orderBy: [{ role: 'asc' }, { id: 'asc' }],
        take: 30,
      });
      return people.map((p) => ({ personId: p.id, name: p.displayName }));
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
