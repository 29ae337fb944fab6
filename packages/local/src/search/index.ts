// Starts the OpenSearch stand-in when the app declares sst.aws.OpenSearch, and tells tools where it is.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { physicalName } from "../resolve";
import type { RunningStandIns } from "../standins/types";
import type { Topology } from "../topology";
import { type RunningSearch, startSearch } from "./server";

export { LocalIndex } from "./engine";
export { LOCAL_SEARCH_PASSWORD, LOCAL_SEARCH_USERNAME, type RunningSearch, startSearch } from "./server";

export async function startSearchStandIn(
  topology: Topology,
  standIns: RunningStandIns,
  o: { dataDir: string; inMemory?: boolean; log?: (line: string) => void },
): Promise<RunningSearch | undefined> {
  if (!topology.resources.some((r) => r.type === "sst.aws.OpenSearch")) return undefined;
  // IAM access, as deployed: functions sign with the local key pair and nothing else gets in.
  const search = await startSearch({ ...o, credentials: standIns.credentials });
  standIns.search = { endpoint: search.endpoint, username: search.username, password: search.password };
  const table = topology.resources.find((r) => r.type === "sst.aws.Dynamo");
  // `npm run reindex` against the local cloud reads this (in AWS it runs under `sst shell`).
  await writeFile(
    join(o.dataDir, "search.json"),
    `${JSON.stringify(
      {
        search: standIns.search,
        dynamodb: { endpoint: standIns.dynamodb.endpoint, region: standIns.region },
        // The key pair the stand-in checks SigV4 against (IAM access, as deployed).
        credentials: standIns.credentials,
        ...(table ? { table: physicalName(topology, table.name) } : {}),
      },
      null,
      2,
    )}\n`,
  );
  return search;
}
