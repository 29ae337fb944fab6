import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// One counter per user, action, rule and window; TTL removes it after its window, so the table never grows.
export const LimitEntity = new Entity(
  {
    model: { entity: "limit", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      action: { type: "string", required: true, readOnly: true },
      rule: { type: "string", required: true, readOnly: true },
      window: { type: "number", required: true, readOnly: true },
      used: { type: "number" },
      expireAt: { type: "number" },
    },
    indexes: {
      byWindow: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: ["action", "rule", "window"] },
      },
    },
  },
  configuration(),
);
