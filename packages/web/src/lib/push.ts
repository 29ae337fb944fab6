// Web Push in the browser: the service worker, the permission prompt, and this device's subscription.
import { notificationsApi } from "./notifications-api";

export const SERVICE_WORKER_URL = "/sw.js";

/** Where this browser stands: what the settings show and which button they offer. */
export type PushState =
  | "unsupported" // no service worker, Push API or Notification API (e.g. iOS Safari outside the Home Screen)
  | "unconfigured" // the stage has no VAPID key
  | "denied" // the user (or policy) blocked notifications for this site
  | "off" // allowed or not asked yet, no subscription
  | "on";

export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

/** The VAPID key in base64url, as the push service wants it (bytes). */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Registers the service worker (scope "/"); registering again is a no-op for the browser. */
export function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: "/" }).catch(() => null);
}

async function registration(): Promise<ServiceWorkerRegistration> {
  const registered = await registerServiceWorker();
  if (!registered) throw new Error("service worker unavailable");
  return navigator.serviceWorker.ready;
}

export async function pushState(vapidPublicKey: string | undefined): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if (!vapidPublicKey) return "unconfigured";
  if (Notification.permission === "denied") return "denied";
  const existing = await navigator.serviceWorker
    .getRegistration("/")
    .then((r) => r?.pushManager.getSubscription() ?? null)
    .catch(() => null);
  return existing && Notification.permission === "granted" ? "on" : "off";
}

function subscriptionBody(subscription: PushSubscription) {
  const json = subscription.toJSON();
  const p256dh = json.keys?.p256dh;
  const auth = json.keys?.auth;
  if (!json.endpoint || !p256dh || !auth) throw new Error("the push subscription has no keys");
  return { endpoint: json.endpoint, keys: { p256dh, auth } };
}

/**
 * Asks for permission (call it from a click: browsers refuse prompts nobody asked for), subscribes with the
 * stage's VAPID key and registers the subscription with the API. Answers "denied" or "off" when refused.
 */
export async function enablePush(vapidPublicKey: string): Promise<PushState> {
  const permission = await Notification.requestPermission();
  if (permission === "denied") return "denied";
  if (permission !== "granted") return "off";
  const reg = await registration();
  const key = applicationServerKey(vapidPublicKey);
  let subscription = await reg.pushManager.getSubscription();
  // A subscription made with another key (the stage's keys changed) cannot be reused.
  const sameKey = (s: PushSubscription) => {
    const current = s.options.applicationServerKey;
    return !current || new Uint8Array(current).join() === key.join();
  };
  if (subscription && !sameKey(subscription)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  try {
    await notificationsApi.subscribePush(subscriptionBody(subscription));
  } catch (err) {
    // Unknown to the server, it would never receive anything: do not leave it half on.
    await subscription.unsubscribe().catch(() => false);
    throw err;
  }
  return "on";
}

/** Stops pushes to this device: the browser forgets the subscription and so does the server. */
export async function disablePush(): Promise<PushState> {
  const reg = await navigator.serviceWorker.getRegistration("/");
  const subscription = await reg?.pushManager.getSubscription();
  if (subscription) {
    await notificationsApi.unsubscribePush(subscription.endpoint);
    await subscription.unsubscribe();
  }
  return "off";
}
