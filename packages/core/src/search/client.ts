import { Resource } from "sst";
import { searchClient } from "./http";
import { openSearchIndex } from "./opensearch";
import { sigv4 } from "./sigv4";

// One client per process, configured only from the link; IAM access, so requests are signed with the role.
const client = searchClient({ node: Resource.Search.url, sign: sigv4() });

export const searchIndex = openSearchIndex(client);
