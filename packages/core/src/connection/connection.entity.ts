import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// API Gateway drops every socket after 2 hours, so a connection item never needs to outlive that.
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60;

export const ConnectionEntity = new Entity(
  {
    model: { entity: "connection", version: "1", service },
    attributes: {
      connectionId: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      connectedAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      expireAt: {
        type: "number",
        required: true,
        readOnly: true,
        default: () => Math.floor(Date.now() / 1000) + CONNECTION_TTL_SECONDS,
      },
      /** When this connection last sent a typing signal: the per-connection rate limit reads it. */
      lastTypingAt: { type: "number" },
      /** The access token's `exp` (epoch seconds): the socket is closed once it passes. */
      tokenExpiresAt: { type: "number", readOnly: true },
    },
    indexes: {
      byConnection: {
        pk: { ...keys.primary.pk, composite: ["connectionId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
      byUser: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["userId"] },
        sk: { ...keys.gsi1.sk, composite: ["connectionId"] },
      },
    },
  },
  configuration(),
);

/** When a user last signed out (epoch seconds): tokens issued before it may not open a socket. */
export const SignOutEntity = new Entity(
  {
    model: { entity: "signOut", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      at: { type: "number", required: true },
    },
    indexes: {
      byUser: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);
