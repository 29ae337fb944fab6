import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Resource } from "sst";
import { useUserId } from "../actor";
import { createId } from "../id";
import { traced } from "../trace";
import { ExportEntity } from "./account.entity";
import { EXPORT_TTL_SECONDS } from "./index";

// The endpoint comes from the environment (AWS_ENDPOINT_URL_SQS points at the local queue off AWS).
const sqs = traced(new SQSClient({}));

/** Asks for an archive of the caller's data; it is built in the background. */
export async function requestExport(): Promise<{ id: string }> {
  const userId = useUserId();
  const exportId = createId("exp");
  await ExportEntity.create({
    userId,
    exportId,
    expireAt: Math.floor(Date.now() / 1000) + EXPORT_TTL_SECONDS,
  }).go();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: Resource.AccountExports.url,
      MessageBody: JSON.stringify({ userId, exportId }),
    }),
  );
  return { id: exportId };
}
