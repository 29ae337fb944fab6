import { ringSecondsOf } from "../packages/core/src/call/rules";
import { table } from "./database";
import { iceLink } from "./ice";
import { limitsConfig } from "./limits";
import { alarmOnDepth } from "./observability";
import { pushLink } from "./push";
import { ws } from "./realtime";

/**
 * How long a call rings before it is missed. The ring timer is an SQS per-message delay, at most 900 s: "Amazon SQS
 * message timers", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
 * The integration suite and the e2e config lower it to see missed calls quickly.
 */
export const RING_SECONDS = ringSecondsOf(process.env.ASYNCSNS_CALL_RING_SECONDS);

/** What the Call Lambda and the timer read as `Resource.Calls`. */
export const callsConfig = new sst.Linkable("Calls", { properties: { ringSeconds: RING_SECONDS } });

/** Timers the consumer gave up on after five receives: kept 14 days for `npm run redrive`. */
export const callTimeoutDeadLetters = new sst.aws.Queue("CallTimeoutDeadLetters", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true } },
});
alarmOnDepth("CallTimeoutDeadLetters", callTimeoutDeadLetters);

export const TIMEOUT_CONSUMER_SECONDS = 10;
/** Receives before a timer is dead-lettered (SQS maxReceiveCount). */
export const TIMEOUT_MAX_RECEIVES = 5;

// Each message is one call's ring timer, sent with DelaySeconds = the ring time by the Call Lambda.
export const callTimeouts = new sst.aws.Queue("CallTimeouts", {
  // Six function timeouts, as Lambda's SQS guide recommends.
  visibilityTimeout: `${6 * TIMEOUT_CONSUMER_SECONDS} seconds`,
  dlq: { queue: callTimeoutDeadLetters.arn, retry: TIMEOUT_MAX_RECEIVES },
  transform: { queue: { sqsManagedSseEnabled: true } },
});

// Moves a still-ringing call to missed and tells both sides; answers per message.
export const callTimeoutConsumer = callTimeouts.subscribe(
  {
    handler: "packages/functions/src/call/timeout.handler",
    link: [table, ws, pushLink],
    timeout: `${TIMEOUT_CONSUMER_SECONDS} seconds`,
    // SST names a queue's subscriber by a hash of the queue's ARN: logs and metrics get a stable name.
    environment: { POWERTOOLS_SERVICE_NAME: "CallTimeoutConsumer" },
  },
  { batch: { size: 10, window: "0 seconds", partialResponses: true } },
);

// Calls: the state, ringing over sockets and push, the ring timer, TURN credentials per call.
export const callFn = new sst.aws.Function("Call", {
  handler: "packages/functions/src/api/call.handler",
  link: [table, ws, pushLink, limitsConfig, iceLink, callTimeouts, callsConfig],
});
