import { derive, publish } from "@asyncsns/core/notification/events";
import { streamRoute } from "../stream/route";

// Follows, likes, reposts, replies, mentions and messages become notification events on the topic. Ids come from
// the stream record, so a retried record publishes the same events and the consumer stores each once.
export const notify = streamRoute("notify", async (record) => {
  const events = await derive(record);
  if (events.length === 0) return;
  await publish(events.map((event, i) => ({ ...event, id: `${record.eventID}:${i}` })));
});
