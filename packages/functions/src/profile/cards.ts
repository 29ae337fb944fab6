import { Cards } from "@asyncsns/core/card";
import { streamRoute } from "../stream/route";

// A new name or picture copied onto the author's posts; conditional per post and resumed from a cursor, so replays are harmless.
export const cards = streamRoute("cards", async (record) => {
  const change = Cards.changeOf(record);
  if (change) await Cards.spread(change.userId, change.card);
});
