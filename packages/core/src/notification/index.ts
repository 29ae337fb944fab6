// The notification domain: events derived from the table's stream (derive) are published to the topic
// (publish); the consumer filters them by the recipient's preferences, stores them grouped (store) and
// delivers them (deliver).
export { type Delivery, handle, PUSH_POLICY, pushPayload, read, urlOf } from "./deliver";
export { derive } from "./derive";
export * as Notification from "./index";
export { groupKeyOf, notificationId, rowIdOf } from "./keys";
export { Preferences, PreferencesPatch, type Relation } from "./preferences";
export { type Published, publish } from "./publish";
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
