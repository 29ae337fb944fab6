import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "profile.handle_taken" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const errors = {
  400: json(ErrorSchema, "The request is invalid"),
  401: json(ErrorSchema, "Missing or invalid access token"),
  403: json(ErrorSchema, "Not allowed for the caller"),
  404: json(ErrorSchema, "Not found"),
  409: json(ErrorSchema, "Conflicts with existing data"),
};

/** Over a per-user limit (rate.limited): `details` names the action and the wait. */
export const rateLimited = {
  ...json(ErrorSchema, "Too many of these lately; try again after Retry-After seconds"),
  headers: {
    "Retry-After": {
      description: "Seconds until the limit's window ends",
      schema: { type: "integer" as const },
    },
  },
};

export const bearer = [{ bearer: [] }];

export const IdParam = z.object({ id: z.string().min(1).max(64) });

export const HandleParam = z.object({ handle: z.string().min(1).max(64) });

export const PageQuery = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
