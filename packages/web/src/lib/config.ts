// Stage settings fetched at start from /config.json, so one static build serves every stage.
export interface RawConfig {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  apiUrl: string;
  wsUrl: string;
  mediaUrl?: string;
  vapidPublicKey?: string;
}

export interface AppConfig {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Absolute URL, no trailing slash. */
  cognitoEndpoint: string;
  /** Absolute URL, no trailing slash. */
  apiUrl: string;
  /** Absolute ws: or wss: URL, no trailing slash. */
  wsUrl: string;
  /** Absolute URL, no trailing slash. */
  mediaUrl: string;
  /** VAPID public key (base64url) for pushManager.subscribe; absent when the stage has no Web Push. */
  vapidPublicKey?: string;
}

const stripSlash = (url: string) => url.replace(/\/+$/, "");

export function resolveHttpUrl(url: string, base: string): string {
  return stripSlash(new URL(url, base).toString());
}

/** Resolves a possibly relative WebSocket URL, taking ws:/wss: from the page's scheme. */
export function resolveWsUrl(url: string, base: string): string {
  const resolved = new URL(url, base);
  if (resolved.protocol === "http:") resolved.protocol = "ws:";
  if (resolved.protocol === "https:") resolved.protocol = "wss:";
  return stripSlash(resolved.toString());
}

export function resolveConfig(raw: RawConfig, base: string): AppConfig {
  for (const key of [
    "region",
    "userPoolId",
    "userPoolClientId",
    "cognitoEndpoint",
    "apiUrl",
    "wsUrl",
  ] as const) {
    if (typeof raw[key] !== "string" || raw[key] === "") throw new Error(`config.json: missing "${key}"`);
  }
  return {
    region: raw.region,
    userPoolId: raw.userPoolId,
    userPoolClientId: raw.userPoolClientId,
    cognitoEndpoint: resolveHttpUrl(raw.cognitoEndpoint, base),
    apiUrl: resolveHttpUrl(raw.apiUrl, base),
    wsUrl: resolveWsUrl(raw.wsUrl, base),
    mediaUrl: resolveHttpUrl(raw.mediaUrl ?? "/media", base),
    ...(typeof raw.vapidPublicKey === "string" && raw.vapidPublicKey !== ""
      ? { vapidPublicKey: raw.vapidPublicKey }
      : {}),
  };
}

let pending: Promise<AppConfig> | undefined;

export function loadConfig(): Promise<AppConfig> {
  pending ??= fetch("/config.json", { cache: "no-store", headers: { Accept: "application/json" } })
    .then(async (res) => {
      if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
      return resolveConfig((await res.json()) as RawConfig, window.location.href);
    })
    .catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
  return pending;
}
