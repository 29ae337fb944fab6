// The HTTP API client: typed by the OpenAPI document, bearer token from the session, one retry after a refresh on 401.
import createClient, { type FetchResponse } from "openapi-fetch";
import type { paths } from "./api-schema";
import type { BodyOf } from "./api-types";
import { connectivity, isGatewayFailure } from "./connectivity";
import { session } from "./session";

export class ApiError extends Error {
  constructor(
    /** The API's error code, e.g. `profile.handle_taken`; `network` when the request never got an answer. */
    readonly code: string,
    readonly status: number,
    message: string,
    /** On 429: seconds until the limit's window ends (Retry-After), and which limit (post, message, …). */
    readonly retryAfter?: number,
    readonly action?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function send(request: Request, token: string | null): Promise<Response> {
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(request);
  } catch (err) {
    // A request the app cancelled says nothing about the network.
    if (!request.signal.aborted) connectivity.reportDown();
    throw new ApiError("network", 0, err instanceof Error ? err.message : String(err));
  }
  // The CDN answered for an API it could not reach: the app shows it is offline and probes until it is back.
  if (isGatewayFailure(res)) connectivity.reportDown();
  else connectivity.reportUp();
  return res;
}

async function authorized(request: Request): Promise<Response> {
  // A body can be read once: keep a copy for the retry.
  const retry = request.clone();
  const res = await send(request, await session.accessToken());
  if (res.status !== 401 || !session.state.signedIn) return res;
  const token = await session.refresh().catch(() => null);
  return token ? send(retry, token) : res;
}

function toError(res: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const retryAfter = Number.parseInt(res.headers.get("Retry-After") ?? "", 10);
  const action = (error?.details as { action?: unknown } | undefined)?.action;
  if (typeof error?.code === "string")
    return new ApiError(
      error.code,
      res.status,
      typeof error.message === "string" ? error.message : "",
      Number.isFinite(retryAfter) ? retryAfter : undefined,
      typeof action === "string" ? action : undefined,
    );
  // No answer from the API itself (CloudFront's error page): the same "can't reach the server" as no network.
  if (isGatewayFailure(res))
    return new ApiError("network", res.status, res.statusText || `HTTP ${res.status}`);
  return new ApiError(`http.${res.status}`, res.status, res.statusText || `HTTP ${res.status}`);
}

type Client = ReturnType<typeof createClient<paths>>;
let client: { apiUrl: string; client: Client } | null = null;

/** The typed client for the configured API; its paths carry the `/api` prefix that `apiUrl` ends with. */
export function apiClient(): Client {
  const { apiUrl } = session.appConfig;
  if (client?.apiUrl !== apiUrl) {
    connectivity.configure(apiUrl);
    const baseUrl = apiUrl.replace(/\/api\/?$/, "");
    client = {
      apiUrl,
      client: createClient<paths>({ baseUrl, fetch: authorized, headers: { Accept: "application/json" } }),
    };
  }
  return client.client;
}

/** The answer's body, or the API's `{error:{code,message}}` thrown as an ApiError. */
// biome-ignore lint/suspicious/noExplicitAny: any response of any path; the caller's T is inferred from it
export async function ok<T extends FetchResponse<any, any, any>>(
  pending: Promise<T>,
): Promise<NonNullable<T["data"]>> {
  const { data, error, response } = await pending;
  if (!response.ok) throw toError(response, error);
  return data as NonNullable<T["data"]>;
}

export const api = {
  getMe: () => ok(apiClient().GET("/api/me")),
  createMe: (body: BodyOf<"/api/me", "post">) => ok(apiClient().POST("/api/me", { body })),
  /** `avatarMediaId`: an upload made with purpose "avatar" becomes the picture; null removes it. */
  updateMe: (body: BodyOf<"/api/me", "patch">) => ok(apiClient().PATCH("/api/me", { body })),
  getUser: (handle: string) => ok(apiClient().GET("/api/users/{handle}", { params: { path: { handle } } })),
};
