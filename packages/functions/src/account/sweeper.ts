import { Account } from "@asyncsns/core/account";
import { continueSweep, sweep } from "@asyncsns/core/account/sweep";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";

const processor = new BatchProcessor(EventType.SQS);
const logger = new Logger();
/** Time kept back from the function's timeout for queueing the rest. */
const MARGIN_MS = 3_000;

// One account per message; out of time, the rest is queued as a new message, so a large account never holds one
// invocation long and a failure retries only from where the steps still find something.
async function record(record: SQSRecord, context?: Context) {
  const { userId } = Account.SweepMessage.parse(JSON.parse(record.body));
  const left = context?.getRemainingTimeInMillis?.() ?? 30_000;
  try {
    const done = await sweep(userId, Date.now() + Math.max(1_000, left - MARGIN_MS));
    if (!done) await continueSweep(userId);
    logger.info(done ? "account deleted" : "account deletion continues", { userId });
  } catch (error) {
    logger.error("account deletion failed; retried", { userId, error });
    throw error;
  }
}

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, (r: SQSRecord) => record(r, context), processor);
