// The business metrics' names, shared by the handlers that emit them and the dashboard that charts them.

export const BUSINESS_METRICS = [
  "PostCreated",
  "MessageDelivered",
  "NotificationStored",
  "PushSent",
  "PushFailed",
  "CallStarted",
  "CallConnected",
  "CallFailed",
] as const;
export type BusinessMetric = (typeof BUSINESS_METRICS)[number];

/** Namespace and the one `service` dimension of every business metric, whichever function emits it. */
export const METRICS_NAMESPACE = "asyncsns";
export const METRICS_SERVICE = "asyncsns";
