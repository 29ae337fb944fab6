import type { z } from "zod";

/** A use case whose input schema is exposed, so a route validates with the very same rules. */
export function fn<Schema extends z.ZodType, Result>(
  schema: Schema,
  cb: (input: z.output<Schema>) => Result,
): ((input: z.input<Schema>) => Result) & { schema: Schema } {
  const run = (input: z.input<Schema>) => cb(schema.parse(input));
  run.schema = schema;
  return run;
}
