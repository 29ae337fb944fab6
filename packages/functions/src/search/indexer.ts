import { Indexer } from "@asyncsns/core/search/indexer";
import { streamRoute } from "../stream/route";

// Search documents, idempotent by item id: each change re-reads the item as it is now, so replays are harmless.
export const indexer = streamRoute("search", async (record) => {
  const change = Indexer.changeOf(record);
  if (change) await Indexer.apply(change);
});
