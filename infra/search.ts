/** Data nodes of the domain; indexes ask for one replica per other node (see search/opensearch.ts). */
export const SEARCH_NODES = 1;

/** What the app's roles may call on the domain: its REST API, nothing of its configuration. */
export const SEARCH_ACTIONS = [
  "es:ESHttpGet",
  "es:ESHttpHead",
  "es:ESHttpPost",
  "es:ESHttpPut",
  "es:ESHttpDelete",
];

// Amazon OpenSearch because kuromoji (Japanese) is on the service; SST's defaults encrypt and require TLS.
// IAM access instead of SST's open policy with an internal master user: no password reaches a function.
export const search = new sst.aws.OpenSearch("Search", {
  transform: {
    domain: (args) => {
      args.advancedSecurityOptions = { enabled: false };
      args.clusterConfig = $output(args.clusterConfig).apply((config) => ({
        ...config,
        instanceCount: SEARCH_NODES,
        zoneAwarenessEnabled: SEARCH_NODES > 1,
      }));
    },
    policy: (args) => {
      const account = aws.getCallerIdentityOutput({}).accountId;
      const region = aws.getRegionOutput({}).name;
      // This account's principals only, and each still needs an identity policy (the links below) to call it.
      args.accessPolicies = $jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: $interpolate`arn:aws:iam::${account}:root` },
            Action: SEARCH_ACTIONS,
            Resource: $interpolate`arn:aws:es:${region}:${account}:domain/${args.domainName}/*`,
          },
        ],
      });
    },
  },
});

/** The domain as a link: its URL and SigV4 access to its REST API, not SST's username and password. */
export const searchLink = Object.create(search, {
  getSSTLink: {
    value: () => ({
      properties: { url: search.url },
      include: [
        sst.aws.permission({
          actions: SEARCH_ACTIONS,
          resources: [$interpolate`${search.nodes.domain!.arn}/*`],
        }),
      ],
    }),
  },
}) as typeof search;

// Posts and profiles reach the indexer through the table stream's dispatcher (infra/timeline.ts), route "search".
