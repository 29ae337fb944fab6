export * as Follow from "./index";

import { FollowEntity } from "./follow.entity";

/** Whether `followerId` follows `followeeId`: one key read. */
export async function exists(followerId: string, followeeId: string): Promise<boolean> {
  if (followerId === followeeId) return false;
  const result = await FollowEntity.get({ followerId, followeeId }).go();
  return result.data !== null;
}
