import { alarmOnDepth, alarmOnIteratorAge } from "./observability";

// One table for every entity (ElectroDB single-table design); its stream feeds timelines (infra/timeline.ts) and search.
export const table = new sst.aws.Dynamo("Table", {
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk" },
  },
  stream: "new-and-old-images",
  ttl: "expireAt",
  deletionProtection: $app.stage === "production",
  transform: {
    table: (t) => {
      t.pointInTimeRecovery = { enabled: true };
      t.serverSideEncryption = { enabled: true };
    },
  },
});

// What the stream subscriber gives up on (after its retries) is kept here for `npm run redrive`.
export const streamFailures = new sst.aws.Queue("StreamFailures", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true } },
});
alarmOnDepth("StreamFailures", streamFailures);

/** Past this age a record goes to the failure queue; the stream keeps records 24 h, so redrive has 12 h to re-read it. */
export const MAX_RECORD_AGE_SECONDS = 12 * 3600;

// Stream consumers answer per record: a failing batch is split and retried, and what is finally dropped is kept.
export function partialBatches(batchSize: number, onFailure: $util.Input<string>) {
  return {
    eventSourceMapping: (
      esm: aws.lambda.EventSourceMappingArgs,
      _opts?: unknown,
      name?: string,
    ): undefined => {
      esm.batchSize = batchSize;
      esm.functionResponseTypes = ["ReportBatchItemFailures"];
      esm.bisectBatchOnFunctionError = true;
      esm.maximumRetryAttempts = 10;
      esm.maximumRecordAgeInSeconds = MAX_RECORD_AGE_SECONDS;
      esm.destinationConfig = { onFailure: { destinationArn: onFailure } };
      // Every stream reader is configured here, so each gets its iterator-age alarm (the local cloud has no name).
      if (esm.functionName && name)
        alarmOnIteratorAge(name.replace(/EventSourceMapping$/, ""), esm.functionName);
    },
  };
}

type TablePermission = Omit<ReturnType<typeof sst.aws.permission>, "type">;

/**
 * The table as a link granting only `grants(tableArn)` instead of SST's `dynamodb:*`: functions still read
 * `Resource.Table`, since the link keeps the table's name and properties.
 */
export function tableLink(grants: (arn: $util.Output<string>) => TablePermission[]) {
  return Object.create(table, {
    getSSTLink: {
      value: () => ({
        properties: table.getSSTLink().properties,
        include: grants(table.arn).map((grant) => sst.aws.permission(grant)),
      }),
    },
  }) as typeof table;
}
