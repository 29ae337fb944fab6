// The HTTP API client: bearer token from the session, one retry after a refresh on 401, typed errors.
import { session } from "./session";

export class ApiError extends Error {
  constructor(
    /** The API's error code, e.g. `profile.handle_taken`; `network` when the request never got an answer. */
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface Profile {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  followers: number;
  following: number;
}

export interface UserProfile extends Profile {
  followedByMe: boolean;
  followsMe: boolean;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

async function send(method: Method, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(`${session.appConfig.apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError("network", 0, err instanceof Error ? err.message : String(err));
  }
}

async function toError(res: Response): Promise<ApiError> {
  try {
    const data = (await res.json()) as { error?: { code?: string; message?: string } };
    if (data.error?.code) return new ApiError(data.error.code, res.status, data.error.message ?? "");
  } catch {
    // Not the API's JSON error shape.
  }
  return new ApiError(`http.${res.status}`, res.status, res.statusText || `HTTP ${res.status}`);
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body, await session.accessToken());
  if (res.status === 401 && session.state.signedIn) {
    const token = await session.refresh().catch(() => null);
    if (token) res = await send(method, path, body, token);
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  getMe: () => request<Profile>("GET", "/me"),
  createMe: (input: { handle: string; displayName: string }) => request<Profile>("POST", "/me", input),
  /** `avatarMediaId`: an upload made with purpose "avatar" becomes the picture; null removes it. */
  updateMe: (input: { displayName?: string; bio?: string; avatarMediaId?: string | null }) =>
    request<Profile>("PATCH", "/me", input),
  getUser: (handle: string) => request<UserProfile>("GET", `/users/${encodeURIComponent(handle)}`),
};
