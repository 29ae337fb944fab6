// Whether the API answers: a request that never gets an answer, or CloudFront's 502/503/504 for an origin it cannot
// reach, marks it down; a probe of /api/health brings it back up by itself, with backoff, without a reload.

export type Connectivity = "up" | "down";

type Listener = (state: Connectivity) => void;

/** First probe after this long, doubling to the cap, while the API stays down. */
const PROBE_MS = { first: 1_000, cap: 8_000 };

let state: Connectivity = "up";
let healthUrl: string | null = null;
let probeTimer: ReturnType<typeof setTimeout> | undefined;
let probeDelay = PROBE_MS.first;
const listeners = new Set<Listener>();

function set(next: Connectivity) {
  if (state === next) return;
  state = next;
  for (const l of listeners) l(next);
}

/** A gateway that answered for an origin it could not reach: a 5xx without the API's own `{error}` JSON body. */
export function isGatewayFailure(res: Response): boolean {
  if (![502, 503, 504].includes(res.status)) return false;
  return !(res.headers.get("content-type") ?? "").includes("application/json");
}

async function probe() {
  probeTimer = undefined;
  if (!healthUrl || state === "up") return;
  try {
    const res = await fetch(healthUrl, { cache: "no-store" });
    if (res.ok) {
      probeDelay = PROBE_MS.first;
      set("up");
      return;
    }
  } catch {
    // Still down: the next probe waits longer.
  }
  probeDelay = Math.min(probeDelay * 2, PROBE_MS.cap);
  schedule();
}

function schedule() {
  if (probeTimer === undefined) probeTimer = setTimeout(() => void probe(), probeDelay);
}

export const connectivity = {
  get state(): Connectivity {
    return state;
  },
  /** `apiUrl` from the stage's config; its health route is public and cheap. */
  configure(apiUrl: string) {
    healthUrl = `${apiUrl.replace(/\/+$/, "")}/health`;
  },
  reportDown() {
    set("down");
    schedule();
  },
  reportUp() {
    probeDelay = PROBE_MS.first;
    set("up");
  },
  /** Asks the API now (e.g. the realtime socket keeps failing) instead of waiting for the next request. */
  check() {
    if (state === "down") return;
    if (!healthUrl) return;
    fetch(healthUrl, { cache: "no-store" })
      .then((res) => (res.ok ? connectivity.reportUp() : isGatewayFailure(res) && connectivity.reportDown()))
      .catch(() => connectivity.reportDown());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
