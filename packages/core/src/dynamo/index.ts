import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Resource } from "sst";
import { SERVICE } from "./names";

// Endpoint and region come from the environment (AWS_ENDPOINT_URL_DYNAMODB points at DynamoDB Local off AWS).
export const client = new DynamoDBClient({});

export const table = () => Resource.Table.name;

export const service = SERVICE;

/** ElectroDB index names and key attributes, as declared in infra/database.ts. */
export const keys = {
  primary: { pk: { field: "pk" }, sk: { field: "sk" } },
  gsi1: { index: "gsi1", pk: { field: "gsi1pk" }, sk: { field: "gsi1sk" } },
  gsi2: { index: "gsi2", pk: { field: "gsi2pk" }, sk: { field: "gsi2sk" } },
} as const;

export function configuration() {
  return { client, table: table() };
}

/**
 * Awaits a conditional write (an ElectroDB `.go()`): true when it was written, false when its condition did not
 * hold (someone got there first, or there was nothing left to do); any other error is thrown.
 */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if ((error as { cause?: { name?: string } }).cause?.name === "ConditionalCheckFailedException")
      return false;
    throw error;
  }
}
