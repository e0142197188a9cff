import { STATUS_LABELS } from '../../core/case/case-types.ts';
import { toWgs84 } from '../../core/geo/coord-transform-fns.ts';
import { distanceM } from '../../core/geo/geo-measure-fns.ts';
import type { RoutingDecision } from '../../core/routing/routing-types.ts';
import type { BotContext } from '../bot-context.ts';
import type { Draft } from './draft-fns.ts';

/** Button id of the offer: n:follow:<case number> (well under Telegram's 64 bytes). */
export const FOLLOW_BUTTON = 'n:follow:';

/** How long a search that found no case nearby stands for the same matter at the same spot. */
const NEARBY_RECHECK_MS = 10 * 60_000;

/**
 * Before the summary: an open case of the same matter within the duplicate rule's radius is
 * offered to follow (关注) instead of filing anew. The summary still follows, so the resident
 * may file anyway (submitting would merge into that case while it stays a duplicate).
 */
export async function offerNearby(ctx: BotContext, d: Draft, decision: RoutingDecision): Promise<void> {
  if (!decision.item || !d.location) return;
  const here = toWgs84({ lat: d.location.lat, lng: d.location.lng }, d.location.crs);
  // Each message that completes the draft is summarised again (a photo after the pin, a text):
  // the same matter at the same spot is not searched again (a statement of its own, a third of a
  // photo report's case reads) while the last search, minutes ago, found nothing to offer. A case
  // filed there meanwhile is still caught on submitting, which merges a duplicate into it.
  const spot = `${decision.item.code}@${here.lat.toFixed(6)},${here.lng.toFixed(6)}`;
  const last = d.nearbyNone;
  if (last?.spot === spot && ctx.now.getTime() - Date.parse(last.at) < NEARBY_RECHECK_MS) return;
  const c = await ctx.deps.cases.follows.nearby({ itemCode: decision.item.code, ...here });
  if (!c || c.lat === null || c.lng === null || c.reporterId === ctx.actor.personId) {
    d.nearbyNone = { spot, at: ctx.now.toISOString() };
    return;
  }
  delete d.nearbyNone;
  ctx.say(
    'nearby.offer',
    {
      number: c.number,
      matter: decision.item.name,
      status: STATUS_LABELS[c.status],
      distance: Math.max(10, Math.round(distanceM(here, { lat: c.lat, lng: c.lng }) / 10) * 10),
    },
    [[{ id: `${FOLLOW_BUTTON}${c.number}`, label: `关注 ${c.number}` }]],
  );
}

/** The 关注 button: follow the case, drop the draft (nothing is filed). */
export async function followFromChat(ctx: BotContext, number: string): Promise<void> {
  const c = await ctx.deps.cases.follows.follow(number, ctx.actor.personId);
  if (ctx.state?.flow === 'report') await ctx.clearState();
  ctx.say('nearby.followed', { number: c.number, status: STATUS_LABELS[c.status] });
}
