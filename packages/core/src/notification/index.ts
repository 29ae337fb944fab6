export * as Notification from "./index";

// The notification domain: events derived from the table's stream are published to the topic (publish.ts);
// the consumer stores them grouped (store), filtered by the recipient's preferences, and delivers them.
export { type Event, publish } from "./publish";
