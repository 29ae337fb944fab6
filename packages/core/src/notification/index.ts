// The notification domain's store: grouped rows, read marks and preferences (the table only). Events derived
// from the table's stream are published by `notification/events`; the consumer's delivery to sockets and push
// is `notification/deliver`: each Lambda links only what it imports.
export * as Notification from "./index";
export { groupKeyOf, notificationId, rowIdOf } from "./keys";
export { Preferences, PreferencesPatch, type Relation } from "./preferences";
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
