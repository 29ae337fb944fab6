import { useActor, withActor } from "@asyncsns/core/actor";
import { statusOf, VisibleError } from "@asyncsns/core/error";
import { Logger } from "@aws-lambda-powertools/logger";
import { OpenAPIHono, type OpenAPIHonoOptions } from "@hono/zod-openapi";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type { LambdaContext } from "hono/aws-lambda";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";

export type Env = {
  Bindings: { event: APIGatewayProxyEventV2WithJWTAuthorizer; lambdaContext: LambdaContext };
};

export const logger = new Logger();

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

/** One Hono app per Lambda; the JWT was checked by the gateway, the handler trusts only its claims' sub. */
export function createApp() {
  const app = new OpenAPIHono<Env>({ defaultHook });
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
    if (error instanceof VisibleError)
      return c.json(errorBody(error.code, error.message), statusOf[error.kind]);
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
