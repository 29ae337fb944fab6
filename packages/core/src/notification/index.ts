export * as Notification from "./index";
export { groupKeyOf, notificationId, rowIdOf } from "./keys";
export { Preferences, PreferencesPatch, type Relation } from "./preferences";
// The notification domain: events derived from the table's stream are published to the topic (publish.ts);
// the consumer stores them grouped (store), filtered by the recipient's preferences, and delivers them.
export { type Event, publish } from "./publish";
export {
  type Applied,
  actors,
  apply,
  list,
  markRead,
  NotificationEvent,
  type Outcome,
  unread,
} from "./store";
