import { audible, derive, publish } from "@asyncsns/core/notification/events";
import { streamRoute } from "../stream/route";

// Follows, likes, reposts, replies, mentions and messages become notification events on the topic. Ids come from
// the stream record, so a retried record publishes the same events and the consumer stores each once.
export const notify = streamRoute("notify", async (record) => {
  const derived = await derive(record);
  // Numbered before the recipients' blocks and mutes are applied, so an event keeps its id on a retry.
  const events = await audible(derived.map((event, i) => ({ ...event, id: `${record.eventID}:${i}` })));
  if (events.length === 0) return;
  await publish(events);
});
