import { Envelope, PROTOCOL_VERSION } from "./envelope";
import { type EventData, type EventType, events } from "./events";

export { Envelope, PROTOCOL_VERSION } from "./envelope";
export { Action, type EventData, type EventType, events } from "./events";

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

/** Parses an incoming frame; unknown types are kept as raw envelopes so newer servers don't break older clients. */
export function parse(frame: string): Envelope | undefined {
  try {
    const result = Envelope.safeParse(JSON.parse(frame));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
