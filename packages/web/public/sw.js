// The service worker (scope "/"): shows Web Push notifications, keeps the app badge, opens the right page on click.
// Payloads (JSON): {type: "notification", id, title, body, url, tag, unread, icon?}
//                  {type: "notification.read", upTo: id | null, unread}
//                  {type: "call.ringing", id, kind, caller, title, body, url, tag, icon?}   stays until acted on
//                  {type: "call.ended", id, tag, state}             answered, declined or over: closes the ring
/// <reference lib="webworker" />

const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-96.png";
const FALLBACK_URL = "/notifications/";

self.addEventListener("install", () => {
  self.skipWaiting();
});

// Control open tabs at once, so a click can navigate them.
self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

/** The count on the installed app's icon, where the browser has one. */
async function setBadge(unread) {
  if (typeof unread !== "number") return;
  const nav = self.navigator;
  try {
    if (unread > 0 && nav.setAppBadge) await nav.setAppBadge(unread);
    else if (unread <= 0 && nav.clearAppBadge) await nav.clearAppBadge();
  } catch {
    // No badge here (not installed, or not allowed): nothing to show it on.
  }
}

/** Only this site's own pages are opened from a notification. */
function sameOriginUrl(url) {
  try {
    const resolved = new URL(typeof url === "string" && url ? url : FALLBACK_URL, self.location.origin);
    return resolved.origin === self.location.origin
      ? resolved.href
      : new URL(FALLBACK_URL, self.location.origin).href;
  } catch {
    return new URL(FALLBACK_URL, self.location.origin).href;
  }
}

/**
 * Another device or tab read up to `upTo` (that row and older; null: all): close what it covers. Row ids are
 * hashes, not times, so "older" is judged by when this device showed them, against the `upTo` row's own.
 */
async function closeRead(upTo) {
  const shown = await self.registration.getNotifications();
  if (upTo == null) {
    for (const n of shown) n.close();
    return;
  }
  const target = shown.find((n) => n.data?.id === upTo);
  if (!target) return;
  for (const n of shown) if ((n.data?.shownAt ?? 0) <= (target.data.shownAt ?? 0)) n.close();
}

/** An incoming call rings as a notification that stays (requireInteraction) until answered or closed. */
async function onCallPush(payload) {
  if (payload.type === "call.ended") {
    const shown = await self.registration.getNotifications(
      typeof payload.tag === "string" && payload.tag ? { tag: payload.tag } : undefined,
    );
    for (const n of shown) if (n.data?.kind === "call") n.close();
    return;
  }
  // A tab of the app in front already shows the incoming-call dialog.
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (windows.some((c) => c.visibilityState === "visible" && c.focused)) return;
  const title = typeof payload.title === "string" && payload.title ? payload.title : "asyncsns";
  await self.registration.showNotification(title, {
    body: typeof payload.body === "string" ? payload.body : "",
    tag: typeof payload.tag === "string" && payload.tag ? payload.tag : `call:${payload.id ?? ""}`,
    icon: typeof payload.icon === "string" && payload.icon ? payload.icon : ICON,
    badge: BADGE,
    requireInteraction: true,
    renotify: true,
    vibrate: [300, 200, 300, 200, 300],
    data: {
      kind: "call",
      callId: payload.id ?? null,
      url: sameOriginUrl(payload.url),
      shownAt: Date.now(),
    },
  });
}

async function onPush(payload) {
  if (payload && (payload.type === "call.ringing" || payload.type === "call.ended")) {
    await onCallPush(payload);
    return;
  }
  if (payload && payload.type === "notification.read") {
    await closeRead(payload.upTo ?? null);
    await setBadge(payload.unread);
    return;
  }
  const data = payload && payload.type === "notification" ? payload : {};
  const title = typeof data.title === "string" && data.title ? data.title : "asyncsns";
  await self.registration.showNotification(title, {
    body: typeof data.body === "string" ? data.body : "",
    // The group key: a later push for the same group replaces the one shown.
    tag: typeof data.tag === "string" && data.tag ? data.tag : undefined,
    icon: typeof data.icon === "string" && data.icon ? data.icon : ICON,
    badge: BADGE,
    data: { id: data.id ?? null, url: sameOriginUrl(data.url), shownAt: Date.now() },
  });
  await setBadge(data.unread);
}

self.addEventListener("push", (event) => {
  let payload = null;
  try {
    payload = event.data ? event.data.json() : null;
  } catch {
    payload = null;
  }
  event.waitUntil(onPush(payload));
});

/** Focuses an open tab of the app and takes it to `url`, or opens a new one. */
async function openPage(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const client = windows.find((c) => c.focused) ?? windows[0];
  if (!client) return self.clients.openWindow(url);
  try {
    await client.focus();
  } catch {
    // Focus is best effort; navigating still helps.
  }
  try {
    const navigated = await client.navigate(url);
    if (navigated) return navigated;
  } catch {
    // A tab this worker does not control cannot be navigated from here: it does so itself.
  }
  client.postMessage({ type: "navigate", url });
  return client;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openPage(sameOriginUrl(event.notification.data?.url)));
});
