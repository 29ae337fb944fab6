export { type Delivery, handle, PUSH_POLICY, pushPayload, read, urlOf } from "./deliver";

// The notification domain: events derived from the table's stream (derive.ts) are published to the topic
// (publish.ts); the consumer stores them grouped, filtered by the recipient's preferences, and delivers them.
export { derive, type NotificationEvent, PREVIEW_CHARS, preview } from "./derive";
export * as Notification from "./index";
export { type Published, publish } from "./publish";
