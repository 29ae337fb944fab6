import { Resource } from "sst";
import { searchClient } from "./http";
import { openSearchIndex } from "./opensearch";

// One client per process, configured only from the link: Amazon OpenSearch in AWS, the local stand-in offline.
const client = searchClient({
  node: Resource.Search.url,
  username: Resource.Search.username,
  password: Resource.Search.password,
});

export const searchIndex = openSearchIndex(client);
