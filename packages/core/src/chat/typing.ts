export * as Chat from "./typing";

// Its own entry (@asyncsns/core/chat/typing): the typing route links the sockets, not media or the topic.

import { envelope } from "@asyncsns/realtime";
import { useUserId } from "../actor";
import { Realtime } from "../realtime";
import { fn } from "../util";
import { activeMemberIds, isActive, profileOf, requireMember } from "./access";
import { RoomId } from "./ids";

/** Relays "someone is typing" to the room's other members' sockets. Ephemeral: nothing is stored. */
export const typing = fn(RoomId, async (roomId) => {
  const userId = useUserId();
  const [{ membership }, profile, ids] = await Promise.all([
    requireMember(roomId, userId),
    profileOf(userId),
    activeMemberIds(roomId),
  ]);
  // Typing in an unanswered request is not shown to its sender; nor is anyone's typing to a pending member.
  if (!isActive(membership)) return;
  const others = ids.filter((id) => id !== userId);
  await Realtime.publishMany(others, envelope("chat.typing", { roomId, userId, handle: profile.handle }));
});
