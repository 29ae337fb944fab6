import { Envelope } from "./envelope";

/** Parses an incoming frame; unknown types are kept as raw envelopes so newer servers don't break older clients. */
export function parse(frame: string): Envelope | undefined {
  try {
    const result = Envelope.safeParse(JSON.parse(frame));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
