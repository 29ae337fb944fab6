import { Fanout } from "@asyncsns/core/timeline/fanout";
import { Resource } from "sst";
import { streamRoute } from "../stream/route";

// Home timelines by fan-out on write; puts and deletes by key and a resumable big-author mark make replays harmless.
export const fanout = streamRoute("fanout", async (record) => {
  const change = Fanout.changeOf(record);
  if (change)
    await Fanout.apply(
      change,
      Number(Resource.Timeline.fanoutThreshold),
      Number(Resource.Timeline.followersPage),
    );
});
