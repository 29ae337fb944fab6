import { inject } from "vitest";

/** Points core, run inside the test process, at the suite's DynamoDB Local table, as `link` would in a Lambda. */
export function useLocalTable(): void {
  const { endpoint, tables } = inject("localDynamo");
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  process.env.SST_RESOURCE_Table = JSON.stringify({ name: tables[0], type: "sst.aws.Dynamo" });
  process.env.SST_RESOURCE_App ??= JSON.stringify({ name: "asyncsns", stage: "int" });
}
