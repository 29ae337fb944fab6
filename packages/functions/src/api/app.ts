import { useActor, withActor } from "@asyncsns/core/actor";
import { RateLimited, statusOf, VisibleError } from "@asyncsns/core/error";
import { Text } from "@asyncsns/core/text";
import { Logger } from "@aws-lambda-powertools/logger";
import { OpenAPIHono, type OpenAPIHonoOptions } from "@hono/zod-openapi";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type { Context } from "hono";
import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { flushMetrics } from "../metrics";

export type Env = {
  Bindings: { event: APIGatewayProxyEventV2WithJWTAuthorizer; lambdaContext: LambdaContext };
};

export const logger = new Logger();

/** A caller's own id (letters, digits, `-_.:`, at most 128) is kept, so a trace spans its systems; else ours. */
const SANE_CORRELATION_ID = /^[\w.:-]{1,128}$/;

/** The request's correlation id: the `x-correlation-id` header if sane, else API Gateway's request id. */
export function correlationIdOf(header: string | undefined, requestId: string | undefined): string {
  if (header && SANE_CORRELATION_ID.test(header)) return header;
  return requestId ?? crypto.randomUUID();
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

type Issue = { code: string; message: string; path: PropertyKey[]; params?: Record<string, unknown> };

/** A zod failure as our error shape; a rule may name its own code (e.g. profile.invalid_handle). */
export function invalid(issues: readonly Issue[]) {
  const first = issues[0];
  const code = typeof first?.params?.code === "string" ? first.params.code : "request.invalid";
  const message = first
    ? `${first.path.length ? `${first.path.join(".")}: ` : ""}${first.message}`
    : "Bad request";
  return errorBody(
    code,
    message,
    issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  );
}

const defaultHook: OpenAPIHonoOptions<Env>["defaultHook"] = (result, c) => {
  if (!result.success) return c.json(invalid(result.error.issues as Issue[]), 400);
};

/** One resource's routes, each declared beside its handler; a sub-app validates with its own hook. */
export function createSubApp() {
  return new OpenAPIHono<Env>({ defaultHook });
}

const MAX_BODY = Text.Limits.MAX_JSON_BODY_BYTES;
const tooLarge = () => errorBody("request.too_large", `A request body is at most ${MAX_BODY / 1024} KB.`);

/** A Lambda event's body size in bytes; a string longer than the budget is over without being measured. */
function eventBodyBytes(event: { body?: string | null; isBase64Encoded?: boolean }): number {
  const { body } = event;
  if (typeof body !== "string") return 0;
  if (event.isBase64Encoded) return Math.floor((body.length * 3) / 4);
  // Every UTF-16 unit is at least one byte.
  return body.length > MAX_BODY ? body.length : Buffer.byteLength(body);
}

/** The Lambda entry of an app: a body over the budget is answered before Hono copies it into a Request. */
export function toLambda(app: OpenAPIHono<Env>) {
  const inner = handle(app);
  return async (event: LambdaEvent, context?: LambdaContext) => {
    if (eventBodyBytes(event as { body?: string }) > MAX_BODY)
      return {
        statusCode: 413,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
        body: JSON.stringify(tooLarge()),
        isBase64Encoded: false,
      };
    return inner(event, context);
  };
}

/** The request body's size in bytes, read from the Lambda event (or Content-Length) without parsing it. */
async function bodyBytes(c: Context<Env>): Promise<number> {
  const event = c.env?.event;
  if (typeof event?.body === "string") return eventBodyBytes(event);
  const declared = c.req.header("content-length");
  if (declared !== undefined) return Number(declared);
  if (!c.req.raw.body) return 0;
  // No event and no length (app.request in tests): Hono caches the body for the validator.
  return (await c.req.arrayBuffer()).byteLength;
}

/** One Hono app per Lambda; the JWT was checked by the gateway, the handler trusts only its claims' sub. */
export function createApp() {
  const app = new OpenAPIHono<Env>({ defaultHook });
  // Every log line of the request carries its correlation id, and the answer names it for the caller's own logs.
  app.use(async (c, next) => {
    const correlationId = correlationIdOf(
      c.req.header("x-correlation-id"),
      c.env?.event?.requestContext?.requestId,
    );
    logger.appendKeys({ correlationId });
    try {
      await next();
      c.header("x-correlation-id", correlationId);
    } finally {
      logger.removeKeys(["correlationId"]);
      flushMetrics();
    }
  });
  // Answers are per user and change at once: no cache (CloudFront's, the browser's) may keep one. Only a
  // successful public read (the same for everyone, under /api/public/) may say otherwise.
  app.use(async (c, next) => {
    await next();
    const shared = c.req.path.startsWith("/api/public/") && c.res.status === 200;
    if (!(shared && c.res.headers.get("cache-control")?.startsWith("public")))
      c.header("cache-control", "no-store");
  });
  // API Gateway lets 10 MB through; ours is refused here, before any JSON.parse or grapheme count.
  app.use(async (c, next) => {
    const bytes = await bodyBytes(c);
    if (!(bytes <= MAX_BODY)) return c.json(tooLarge(), 413);
    return next();
  });
  app.use(async (c, next) => {
    const claims = c.env?.event?.requestContext?.authorizer?.jwt?.claims;
    const sub = claims?.sub;
    if (typeof sub !== "string") return next();
    // API Gateway's JWT authorizer takes an ID token by its aud; only an access token may act for the user.
    if (claims?.token_use !== "access")
      return c.json(errorBody("auth.invalid_token", "Send an access token, not an ID token."), 401);
    return withActor({ type: "user", properties: { userId: sub } }, next);
  });
  app.onError((error, c) => {
    // Retry-After (RFC 9110 §10.2.3) tells well-behaved clients when the limit's window ends.
    if (error instanceof RateLimited) {
      c.header("Retry-After", String(error.retryAfter));
      const details = { action: error.action, retryAfter: error.retryAfter };
      return c.json(errorBody(error.code, error.message, details), 429);
    }
    if (error instanceof VisibleError)
      return c.json(errorBody(error.code, error.message, error.details), statusOf[error.kind]);
    if (error instanceof ZodError) return c.json(invalid(error.issues as Issue[]), 400);
    // Hono's own 4xx (e.g. a malformed JSON body) are the client's mistake, not a 500.
    const status = error instanceof HTTPException ? error.status : (error as { status?: unknown }).status;
    if (status === 400) return c.json(errorBody("request.invalid", error.message), 400);
    if (status === 415)
      return c.json(errorBody("request.unsupported_media_type", "Send the body as application/json."), 415);
    logger.error("unhandled error", { error, path: c.req.path, actor: useActor().type });
    return c.json(errorBody("internal", "Something went wrong on our side. Please try again."), 500);
  });
  app.notFound((c) =>
    c.json(errorBody("route.not_found", `No route for ${c.req.method} ${c.req.path}`), 404),
  );
  return app;
}
