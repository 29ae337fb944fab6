import { BlockEntity, MuteEntity } from "./safety.entity";

/** The relation of the caller to `otherId`, for a profile. */
export async function relation(viewer: string, otherId: string) {
  if (viewer === otherId) return { blocking: false, blockedBy: false, muting: false };
  const [blocking, blockedBy, muting] = await Promise.all([
    BlockEntity.get({ blockerId: viewer, blockedId: otherId }).go(),
    BlockEntity.get({ blockerId: otherId, blockedId: viewer }).go(),
    MuteEntity.get({ muterId: viewer, mutedId: otherId }).go(),
  ]);
  return {
    blocking: blocking.data !== null,
    blockedBy: blockedBy.data !== null,
    muting: muting.data !== null,
  };
}
