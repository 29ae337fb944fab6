import { Account } from "@asyncsns/core/account";
import { buildExport, failExport } from "@asyncsns/core/account/archive";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import type { SQSEvent, SQSRecord } from "aws-lambda";

const processor = new BatchProcessor(EventType.SQS);
const logger = new Logger();

// Rebuilding an export overwrites its archive and a ready one is skipped: redelivery is harmless.
async function record(record: SQSRecord) {
  const { userId, exportId } = Account.ExportMessage.parse(JSON.parse(record.body));
  try {
    await buildExport(userId, exportId);
    logger.info("export built", { userId, exportId });
  } catch (error) {
    const last = Number(record.attributes?.ApproximateReceiveCount ?? 1) >= Account.MAX_RECEIVES;
    logger.error(last ? "export failed; dead-lettered" : "export failed; retried", {
      userId,
      exportId,
      error,
    });
    if (last) await failExport(userId, exportId);
    throw error;
  }
}

export const handler = async (event: SQSEvent) => processPartialResponse(event, record, processor);
