import * as z from "zod";

export const PROTOCOL_VERSION = 1;

/** Every server event on the wire: `{v, type, id, ts, data}`. */
export const Envelope = z.object({
  v: z.literal(PROTOCOL_VERSION),
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/),
  id: z.string().min(1),
  ts: z.number().int(),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof Envelope>;
