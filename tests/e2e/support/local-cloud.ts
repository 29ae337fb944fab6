// The local cloud under test, as specs read it: its local.json, and what its table says about live sockets.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "@playwright/test";

/** What the local cloud wrote to <dataDir>/local.json (playwright.config.ts runs it on .asyncsns/e2e). */
export interface LocalJson {
  webUrl: string;
  dynamodb: { endpoint: string; region: string };
  table: string;
}

// The local stand-ins take any key pair (DynamoDB Local runs -sharedDb); the SDK still signs with SigV4.
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** local.json of the cloud at `baseURL`; `T` names the parts a spec reads beyond the common ones. */
export async function localCloud<T extends LocalJson = LocalJson>(baseURL: string | undefined): Promise<T> {
  const file = resolve(process.env.ASYNCSNS_ROOT ?? process.cwd(), ".asyncsns/e2e/local.json");
  const local = JSON.parse(await readFile(file, "utf8")) as T;
  // A reused server from another checkout would write elsewhere: make sure this is the cloud under test.
  expect(new URL(local.webUrl).port, `${file} is not the cloud at ${baseURL}`).toBe(new URL(baseURL!).port);
  return local;
}

/** How many sockets the server holds for a user (the Connection entity's byUser index): a ring or a live row
 * reaches only these. */
export async function liveSockets(local: LocalJson, userId: string): Promise<number> {
  const dynamo = new DynamoDBClient({ ...local.dynamodb, credentials: LOCAL_CREDENTIALS });
  try {
    const { Count = 0 } = await dynamo.send(
      new QueryCommand({
        TableName: local.table,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :sk)",
        ExpressionAttributeValues: {
          ":pk": { S: `$asyncsns#userid_${userId.toLowerCase()}` },
          ":sk": { S: "$connection_1#connectionid_" },
        },
        Select: "COUNT",
      }),
    );
    return Count;
  } finally {
    dynamo.destroy();
  }
}
