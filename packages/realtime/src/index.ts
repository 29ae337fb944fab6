import { type Envelope, PROTOCOL_VERSION } from "./envelope";
import { type EventData, type EventType, events } from "./events";

export { backoffDelay } from "./backoff";
export * from "./call";
export * from "./chat";
export {
  type ClientOptions,
  type ConnectionState,
  type EventMeta,
  type History,
  httpHistory,
  RealtimeClient,
  type Timers,
} from "./client";
export { Envelope, PROTOCOL_VERSION } from "./envelope";
export { Action, type EventData, type EventType, events, isEventType, namespaces } from "./events";
export * from "./notification";
export { parse } from "./parse";
export { RoomSequencer } from "./sequencer";
export * from "./timeline";
export {
  type Transport,
  type TransportHandlers,
  type TransportSession,
  type WebSocketConstructor,
  type WebSocketLike,
  webSocketTransport,
} from "./transport";

let counter = 0;

/** Builds a schema-checked envelope; ids are unique per sender so a client can drop duplicates. */
export function envelope<T extends EventType>(type: T, data: EventData<T>, id?: string): Envelope {
  const parsed = events[type].parse(data);
  return {
    v: PROTOCOL_VERSION,
    type,
    id:
      id ??
      `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    ts: Date.now(),
    data: parsed,
  };
}
