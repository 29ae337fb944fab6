// Lambda's SQS trigger polls a standard queue with five concurrent batches; a FIFO queue keeps its groups in order.
import { describe, expect, it } from "vitest";
import { Messaging } from "../src/messaging/index";
import { STANDARD_QUEUE_POLLERS, startQueuePollers } from "../src/messaging/queue-pollers";

async function peakConcurrency(queue: string, messages: number, sendOptions: { groupId?: string } = {}) {
  const messaging = new Messaging({
    dataDir: "",
    inMemory: true,
    region: "us-east-1",
    accountId: "000000000000",
  });
  messaging.store.createQueue(queue, queue.endsWith(".fifo") ? { contentBasedDeduplication: true } : {});
  for (let i = 0; i < messages; i++)
    messaging.store.send(queue, {
      body: `m${i}`,
      ...sendOptions,
      ...(sendOptions.groupId ? { deduplicationId: `d${i}` } : {}),
    });
  let running = 0;
  let peak = 0;
  let handled = 0;
  const pollers = startQueuePollers({
    messaging,
    subscriptions: [
      {
        queue,
        subscription: {
          name: "Sub",
          queue,
          function: "Fn",
          batchSize: 1,
          partialResponses: true,
          filters: [],
        },
      },
    ],
    invoke: async (_fn, event) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 50));
      running--;
      handled += (event as { Records: unknown[] }).Records.length;
      return { batchItemFailures: [] };
    },
    log: () => undefined,
  });
  try {
    await pollers.drain(10_000);
  } finally {
    await pollers.stop();
  }
  return { peak, handled };
}

describe("queue pollers", () => {
  it("run five batches of a standard queue at once, as Lambda starts (services-sqs-scaling)", async () => {
    const { peak, handled } = await peakConcurrency("jobs", 20);
    expect(handled).toBe(20);
    expect(peak).toBe(STANDARD_QUEUE_POLLERS);
  });

  it("run one batch of a FIFO queue at a time", async () => {
    const { peak, handled } = await peakConcurrency("jobs.fifo", 6, { groupId: "g" });
    expect(handled).toBe(6);
    expect(peak).toBe(1);
  });
});
