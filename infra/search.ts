// Amazon OpenSearch because kuromoji (Japanese) is on the service; SST's defaults encrypt and require TLS.
export const search = new sst.aws.OpenSearch("Search");

// Posts and profiles reach the indexer through the table stream's dispatcher (infra/timeline.ts), route "search".
