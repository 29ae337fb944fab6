import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Resource } from "sst";
import { traced } from "../trace";
import { SERVICE } from "./names";

// Endpoint and region come from the environment (AWS_ENDPOINT_URL_DYNAMODB points at DynamoDB Local off AWS).
export const client = traced(new DynamoDBClient({}));

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

/** A lost race on a conditional write is an answer (false), not an error. */
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
