// Two generated clients, one `Db` type: the PostgreSQL client (prisma/generated-pg, from the
// schema derived by scripts/prisma-schema-pg.mjs) must give every model exactly the row type the
// SQLite one gives, or code typed against Db would read other shapes on PostgreSQL. Checked by
// the type checker (npm run typecheck); the runtime half checks the derived schema is current.
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Lite from '../../prisma/generated/models.ts';
import type * as Pg from '../../prisma/generated-pg/models.ts';
import type { Prisma as LitePrisma } from '../../prisma/generated/client.ts';
import type { Prisma as PgPrisma } from '../../prisma/generated-pg/client.ts';
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchema } from '../../scripts/prisma-schema-pg.mjs';

describe('two engines, one schema', () => {
  it('every model has the same row type on both engines', () => {
    // The same models: a client generated before the last schema change fails here (run
    // node scripts/prisma-generate.mjs, which generates both).
    expectTypeOf<LitePrisma.ModelName>().toEqualTypeOf<PgPrisma.ModelName>();
    expectTypeOf<Pg.ApiTokenModel>().toEqualTypeOf<Lite.ApiTokenModel>();
    expectTypeOf<Pg.AssignmentModel>().toEqualTypeOf<Lite.AssignmentModel>();
    expectTypeOf<Pg.AttachmentModel>().toEqualTypeOf<Lite.AttachmentModel>();
    expectTypeOf<Pg.BindCodeModel>().toEqualTypeOf<Lite.BindCodeModel>();
    expectTypeOf<Pg.CaseModel>().toEqualTypeOf<Lite.CaseModel>();
    expectTypeOf<Pg.CaseCounterModel>().toEqualTypeOf<Lite.CaseCounterModel>();
    expectTypeOf<Pg.CaseEventModel>().toEqualTypeOf<Lite.CaseEventModel>();
    expectTypeOf<Pg.CaseSubscriberModel>().toEqualTypeOf<Lite.CaseSubscriberModel>();
    expectTypeOf<Pg.CaseTallyModel>().toEqualTypeOf<Lite.CaseTallyModel>();
    expectTypeOf<Pg.ChatIdentityModel>().toEqualTypeOf<Lite.ChatIdentityModel>();
    expectTypeOf<Pg.ConversationModel>().toEqualTypeOf<Lite.ConversationModel>();
    expectTypeOf<Pg.DepartmentModel>().toEqualTypeOf<Lite.DepartmentModel>();
    expectTypeOf<Pg.LoginLinkModel>().toEqualTypeOf<Lite.LoginLinkModel>();
    expectTypeOf<Pg.Open311RequestModel>().toEqualTypeOf<Lite.Open311RequestModel>();
    expectTypeOf<Pg.OutboxMessageModel>().toEqualTypeOf<Lite.OutboxMessageModel>();
    expectTypeOf<Pg.PatrolModel>().toEqualTypeOf<Lite.PatrolModel>();
    expectTypeOf<Pg.PatrolFindingModel>().toEqualTypeOf<Lite.PatrolFindingModel>();
    expectTypeOf<Pg.PersonModel>().toEqualTypeOf<Lite.PersonModel>();
    expectTypeOf<Pg.PlaceCorrectionModel>().toEqualTypeOf<Lite.PlaceCorrectionModel>();
    expectTypeOf<Pg.PostponementModel>().toEqualTypeOf<Lite.PostponementModel>();
    expectTypeOf<Pg.PowerItemModel>().toEqualTypeOf<Lite.PowerItemModel>();
    expectTypeOf<Pg.PowerListVersionModel>().toEqualTypeOf<Lite.PowerListVersionModel>();
    expectTypeOf<Pg.ProcessedUpdateModel>().toEqualTypeOf<Lite.ProcessedUpdateModel>();
    expectTypeOf<Pg.RatingModel>().toEqualTypeOf<Lite.RatingModel>();
    expectTypeOf<Pg.ResponseTemplateModel>().toEqualTypeOf<Lite.ResponseTemplateModel>();
    expectTypeOf<Pg.SchedulerRunModel>().toEqualTypeOf<Lite.SchedulerRunModel>();
    expectTypeOf<Pg.StreetModel>().toEqualTypeOf<Lite.StreetModel>();
    expectTypeOf<Pg.TeamModel>().toEqualTypeOf<Lite.TeamModel>();
    expectTypeOf<Pg.WebChatMessageModel>().toEqualTypeOf<Lite.WebChatMessageModel>();
    expectTypeOf<Pg.WebSessionModel>().toEqualTypeOf<Lite.WebSessionModel>();
  });

  it('the generated PostgreSQL schema is schema.prisma with the provider swapped, and current', () => {
    const derived = readFileSync(POSTGRES_SCHEMA, 'utf8');
    expect(derived).toBe(postgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8')));
    expect(derived).toContain('provider = "postgresql"');
  });
});
