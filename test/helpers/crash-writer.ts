// Child process for the crash test: commits one row per transaction and reports each commit
// on stdout, until it is killed.
import { createPrismaClient } from '../../db/prisma-client.ts';

const db = await createPrismaClient(process.argv[2]!);
for (let i = 0; ; i++) {
  await db.$transaction(async (tx) => {
    await tx.processedUpdate.create({ data: { channel: 'crash', updateId: String(i) } });
    await tx.schedulerRun.create({ data: { job: 'crash', slot: String(i) } });
  });
  process.stdout.write(`${i}\n`);
}
