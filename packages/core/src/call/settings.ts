import { Resource } from "sst";
import { DEFAULT_RING_SECONDS, MAX_DELAY_SECONDS } from "./rules";

// Read when first needed, not at load: the route table loads the Call Lambda's app without these links.

/** How long a call rings before the timer makes it missed (infra/calls.ts; tests lower it). */
export function ringSeconds(): number {
  const configured = Number(Resource.Calls.ringSeconds);
  const seconds = Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_RING_SECONDS;
  return Math.min(seconds, MAX_DELAY_SECONDS);
}

/** The timeout queue's URL: its messages are delayed by the ring time. */
export const timeoutQueueUrl = () => Resource.CallTimeouts.url;
