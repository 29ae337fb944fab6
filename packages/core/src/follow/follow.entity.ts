import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// A follow is its own item (never a set on a user); gsi1 is the reverse index for "followers of".
export const FollowEntity = new Entity(
  {
    model: { entity: "follow", version: "1", service },
    attributes: {
      followerId: { type: "string", required: true, readOnly: true },
      followeeId: { type: "string", required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byFollower: {
        pk: { ...keys.primary.pk, composite: ["followerId"] },
        sk: { ...keys.primary.sk, composite: ["followeeId"] },
      },
      byFollowee: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["followeeId"] },
        sk: { ...keys.gsi1.sk, composite: ["followerId"] },
      },
    },
  },
  configuration(),
);
