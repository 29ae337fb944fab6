import { Account } from "@asyncsns/core/account";
import { continueSweep, lateSweep, queueLateSweep, sweep } from "@asyncsns/core/account/sweep";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { Resource } from "sst";

const processor = new BatchProcessor(EventType.SQS);
const logger = new Logger();
/** Time kept back from the function's timeout for queueing the rest. */
const MARGIN_MS = 3_000;

// One account per message; out of time, the rest is queued as a new message, so a large account never holds one
// invocation long and a failure retries only from where the steps still find something.
// Once done, the same partitions are swept again later (Account.LATE_WRITE_SECONDS): writes that were in flight.
async function record(record: SQSRecord, context?: Context) {
  const { userId, late } = Account.SweepMessage.parse(JSON.parse(record.body));
  const left = context?.getRemainingTimeInMillis?.() ?? 30_000;
  const deadline = Date.now() + Math.max(1_000, left - MARGIN_MS);
  try {
    if (late !== undefined) {
      // A late sweep out of time is retried whole: its partitions are nearly empty.
      if (!(await lateSweep(userId, deadline))) throw new Error("late sweep ran out of time");
      if (late > 0) await queueLateSweep(userId, late - 1);
      logger.info("account swept again", { userId, late });
      return;
    }
    const done = await sweep(userId, deadline);
    if (!done) await continueSweep(userId);
    else await queueLateSweep(userId, Resource.AccountSweeps.lateSweeps - 1);
    logger.info(done ? "account deleted" : "account deletion continues", { userId });
  } catch (error) {
    logger.error("account deletion failed; retried", { userId, error });
    throw error;
  }
}

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, (r: SQSRecord) => record(r, context), processor);
