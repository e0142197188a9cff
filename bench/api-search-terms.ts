import type { Db } from '../db/prisma-client.ts';

/**
 * The search terms of the API benchmark's search rows (issue 17.5), by kind: words of the seeded
 * reports (api-seed-data.ts: the power list's item names, the places, the openers and tails), one
 * and two characters included (the commonest Chinese searches), and fragments of the numbers of
 * eight cases spread over ids 1..lastId ("261105-00": up to 99 cases of one day). Each row asks
 * its terms in turn, so no one answer is cached. `npm run bench -- api` and `-- request-cpu`
 * ask the same ones.
 */
export async function benchSearchTerms(db: Db, lastId: number): Promise<Record<string, string[]>> {
  const sampled = await db.case.findMany({
    select: { number: true },
    where: { id: { in: Array.from({ length: 8 }, (_, i) => Math.max(1, Math.floor(((i + 0.5) * lastId) / 8))) } },
  });
  return {
    common: ['垃圾', '噪声', '燃气', '广告'],
    rare: ['露天烧烤', '家禽家畜', '飞线充电', '黑气点'],
    address: ['唐家墩路', '花楼街', '民意四路', '江汉路1'],
    number: sampled.map((c) => c.number.slice(5, 14)),
    char: ['烤', '困', '禽', '路'],
  };
}
