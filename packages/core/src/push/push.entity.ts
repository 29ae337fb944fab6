import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// A browser's push subscription, in its owner's partition (sort key `$pushsubscription_1#…`, which no stream
// filter matches); keyed by a hash of the endpoint, which may be long and is case-sensitive.
export const PushSubscriptionEntity = new Entity(
  {
    model: { entity: "pushSubscription", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      endpointHash: { type: "string", required: true, readOnly: true },
      endpoint: { type: "string", required: true },
      p256dh: { type: "string", required: true },
      auth: { type: "string", required: true },
      /** Last time the browser registered it: the oldest devices go first past the cap. */
      updatedAt: { type: "number", required: true, default: () => Date.now() },
    },
    indexes: {
      byUser: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: ["endpointHash"] },
      },
      // Who else holds this endpoint: a browser shared by two accounts must push to the last one only.
      byEndpoint: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["endpointHash"] },
        sk: { ...keys.gsi1.sk, composite: ["userId"] },
      },
    },
  },
  configuration(),
);

// "This device accepted the push for this event": a redelivered message skips it. Expires by the table's TTL.
export const PushDeliveryEntity = new Entity(
  {
    model: { entity: "pushDelivery", version: "1", service },
    attributes: {
      dedupeHash: { type: "string", required: true, readOnly: true },
      endpointHash: { type: "string", required: true, readOnly: true },
      expireAt: { type: "number", required: true, readOnly: true },
    },
    indexes: {
      byKey: {
        pk: { ...keys.primary.pk, composite: ["dedupeHash"] },
        sk: { ...keys.primary.sk, composite: ["endpointHash"] },
      },
    },
  },
  configuration(),
);
