// Applies a WeCom directory sync to people and their 'wecom' chat identities (the userid is the
// channel user id and the private chat). The sync never reactivates anyone: a person deactivated
// here or by an administrator stays so until an administrator reactivates them.
import type { DirectoryMember, WecomDirectoryStore } from '../bot/wecom/wecom-ports.ts';
import { teamName } from './seed-organisation.ts';
import type { Db } from './prisma-client.ts';

export function createWecomDirectoryStore(db: Db): WecomDirectoryStore {
  return {
    async apply(members: DirectoryMember[], now: Date) {
      return db.$transaction(async (tx) => {
        const streets = new Map((await tx.street.findMany()).map((s) => [s.code, s]));
        const known = new Map(
          (await tx.chatIdentity.findMany({ where: { channel: 'wecom' }, include: { person: true } })).map((i) => [
            i.externalId,
            i.person,
          ]),
        );
        const teamId = async (name: string, streetId: number) =>
          (await tx.team.upsert({ where: { name }, create: { name, streetId }, update: {} })).id;
        let created = 0;
        let updated = 0;
        let deactivated = 0;
        const listed = new Set<string>();
        for (const m of members) {
          listed.add(m.userid);
          const person = known.get(m.userid);
          const street = m.streetCode ? streets.get(m.streetCode) : undefined;
          const staff = m.role !== null && (street !== undefined || m.role === 'district_admin');
          if (!m.active) {
            if (person?.active) {
              await tx.person.update({ where: { id: person.id }, data: { active: false } });
              deactivated += 1;
            }
            continue;
          }
          if (!staff) continue; // not mapped: a person bound with a code keeps what the code gave
          const data = {
            displayName: m.name.slice(0, 40),
            role: m.role!,
            streetId: street?.id ?? null,
            departmentId: null,
            teamId: street ? await teamId(m.teamName ?? teamName(street.name), street.id) : null,
          };
          if (person) {
            const same =
              person.displayName === data.displayName &&
              person.role === data.role &&
              person.streetId === data.streetId &&
              person.teamId === data.teamId;
            if (!same) {
              await tx.person.update({ where: { id: person.id }, data });
              updated += 1;
            }
          } else {
            const p = await tx.person.create({ data: { ...data, active: true, createdAt: now } });
            await tx.chatIdentity.create({
              data: { channel: 'wecom', externalId: m.userid, chatId: m.userid, personId: p.id, createdAt: now },
            });
            created += 1;
          }
        }
        // Gone from the directory (removed, or left the company): no staff powers any more.
        for (const [userid, person] of known)
          if (!listed.has(userid) && person.active) {
            await tx.person.update({ where: { id: person.id }, data: { active: false } });
            deactivated += 1;
          }
        return { created, updated, deactivated };
      });
    },
  };
}
