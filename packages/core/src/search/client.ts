import { Client } from "@opensearch-project/opensearch";
import { Resource } from "sst";
import { openSearchIndex } from "./opensearch";

// One client per process, configured only from the link: Amazon OpenSearch in AWS, the local stand-in offline.
const client = new Client({
  node: Resource.Search.url,
  auth: { username: Resource.Search.username, password: Resource.Search.password },
});

export const searchIndex = openSearchIndex(client);
