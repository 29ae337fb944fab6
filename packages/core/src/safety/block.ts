// Blocking as the Profile Lambda does it: the block, then the end of a call between the two. Its own entry
// (@asyncsns/core/safety/block) so the Query Lambda, which serves the safety reads, links no socket or push.

import { endCallBetween } from "../call/block";
import { fn } from "../util";
import { block as blockOnly, Target } from "./index";

/**
 * Blocks (Safety.block), then ends a ringing or accepted call between the two with `call.ended` to both sides. A
 * call created meanwhile fails its own block check; blocking again ends a call a first attempt failed to end.
 */
export const block = fn(Target, async (input) => {
  const { blockerId, blockedId } = await blockOnly(input);
  await endCallBetween(blockerId, blockedId);
});
