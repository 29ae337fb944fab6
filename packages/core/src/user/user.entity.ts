import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

export const UserEntity = new Entity(
  {
    model: { entity: "user", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      handle: { type: "string", required: true },
      displayName: { type: "string", required: true },
      bio: { type: "string", required: true, default: "" },
      /** The served path of the profile picture (under /media/), and the upload it came from. */
      avatarKey: { type: "string" },
      avatarMediaId: { type: "string" },
      /** Posts carry a card stamped with this, so a newer stamp tells the subscriber to copy it on. */
      cardAt: { type: "number" },
      /** While a card is being copied onto the posts: its stamp, and the feed cursor after the last page done. */
      cardSpreadAt: { type: "number" },
      cardSpreadTo: { type: "string" },
      /** Set while a moderator has suspended the user: others get 404 for the profile. */
      suspendedAt: { type: "number" },
      /** Posts and profile only for signed-in people: the public (signed-out) routes answer 404. */
      signedInOnly: { type: "boolean" },
      followers: { type: "number", required: true, default: 0 },
      following: { type: "number", required: true, default: 0 },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      updatedAt: {
        type: "number",
        required: true,
        watch: "*",
        set: () => Date.now(),
        default: () => Date.now(),
      },
    },
    indexes: {
      byId: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);

// One item per lowercased handle: a conditional put is what makes handles unique.
export const HandleEntity = new Entity(
  {
    model: { entity: "handle", version: "1", service },
    attributes: {
      handleKey: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      /** Set on a deleted account's handle: held until then (TTL, epoch seconds), so nobody takes it over at once. */
      expireAt: { type: "number" },
    },
    indexes: {
      byHandle: {
        pk: { ...keys.primary.pk, composite: ["handleKey"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);
