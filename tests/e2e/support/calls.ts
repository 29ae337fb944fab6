// Calls in the browser, as the call specs drive them: two people who may call each other, their signed-in pages
// with relay-only ICE and the debug peer handle, the peer's getStats(), and warm call routes.
import { type APIRequestContext, type Browser, expect, type Page } from "@playwright/test";
import { type Account, callApi, createAccount, follow, openAs } from "./api";
import { type LocalJson, liveSockets } from "./local-cloud";

export interface Pair {
  a: Account;
  b: Account;
  roomId: string;
}

/** Two people who may call each other: mutual follows sharing a 1:1 room. */
export async function pair(request: APIRequestContext, tag: string): Promise<Pair> {
  const a = await createAccount(request, `${tag}a`);
  const b = await createAccount(request, `${tag}b`);
  await follow(request, a, b.handle);
  await follow(request, b, a.handle);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", { memberHandles: [b.handle] });
  return { a, b, roomId: room.id };
}

/** A signed-in page with relay-only ICE and the test-only peer handle (`window.__asyncsnsCall`). */
export async function callPage(
  browser: Browser,
  baseURL: string,
  account: Account,
  options: Parameters<typeof openAs>[3] = {},
): Promise<Page> {
  const { context, page } = await openAs(browser, baseURL, account, options);
  await context.addInitScript(() => {
    localStorage.setItem("asyncsns.forceRelay", "1");
    localStorage.setItem("asyncsns.debugCall", "1");
  });
  return page;
}

export async function online(local: LocalJson, ...accounts: Account[]) {
  for (const account of accounts)
    await expect.poll(() => liveSockets(local, account.id), { timeout: 20_000 }).toBeGreaterThan(0);
}

export interface PeerStats {
  framesDecoded: number;
  iceConnectionState: string;
  candidateType: string | null;
  relayProtocol: string | null;
}

/** getStats() of the call's peer connection: decoded video frames and the selected pair's local candidate. */
export function peerStats(page: Page): Promise<PeerStats | null> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { __asyncsnsCall?: { pc: RTCPeerConnection | null } }).__asyncsnsCall
      ?.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    let framesDecoded = 0;
    let pairId: string | null = null;
    // biome-ignore lint/suspicious/noExplicitAny: RTCStats entries differ by type
    const byId = new Map<string, any>();
    report.forEach((s) => {
      byId.set(s.id, s);
      if (s.type === "inbound-rtp" && s.kind === "video") framesDecoded += s.framesDecoded ?? 0;
      if (s.type === "transport" && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    const pair = pairId ? byId.get(pairId) : undefined;
    const local = pair ? byId.get(pair.localCandidateId) : undefined;
    return {
      framesDecoded,
      iceConnectionState: pc.iceConnectionState,
      candidateType: local?.candidateType ?? null,
      relayProtocol: local?.relayProtocol ?? null,
    };
  });
}

/** The transports the issued TURN URLs allow (`?transport=tcp`; `turns:` is TLS over TCP; default UDP). */
export function relayProtocols(iceServers: { urls: string[] }[]): string[] {
  const out = new Set<string>();
  for (const s of iceServers)
    for (const url of s.urls) {
      if (!/^turns?:/.test(url)) continue;
      const transport = /[?&]transport=(udp|tcp)/i.exec(url)?.[1]?.toLowerCase();
      out.add(url.startsWith("turns:") ? "tls" : (transport ?? "udp"));
    }
  return [...out];
}

export const dialog = (page: Page) => page.getByRole("alertdialog");
export const callView = (page: Page) => page.locator("section.call-view");

export async function expectConnectedBothWays(a: Page, b: Page, protocols: string[]) {
  for (const page of [a, b]) {
    await expect(callView(page)).toHaveAttribute("data-phase", "connected", { timeout: 15_000 });
    const first = await peerStats(page);
    expect(first?.candidateType, "relay-only ICE picks a relay candidate").toBe("relay");
    expect(protocols).toContain(first?.relayProtocol);
    // Frames keep arriving: the decoded count rises between two samples.
    await expect
      .poll(async () => (await peerStats(page))?.framesDecoded ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(first?.framesDecoded ?? 0);
  }
}

/**
 * The local cloud starts a Lambda on its first invocation, which took 12 s for the signal route on this 2-core
 * machine with two browsers running: warm it (and the Call Lambda) so the 15 s connect timeout measures ICE, not
 * a cold start. A signal for a call that does not exist is refused with `system.error`, after the route has run.
 */
export async function warmCallRoutes(browser: Browser, baseURL: string, request: APIRequestContext) {
  const account = await createAccount(request, "cw");
  await request.fetch("/api/calls/cal_warm", { headers: { authorization: `Bearer ${account.accessToken}` } });
  const { context, page } = await openAs(browser, baseURL, account);
  await page.goto("/");
  const refused = await page.evaluate(async (token) => {
    const { wsUrl } = (await (await fetch("/config.json")).json()) as { wsUrl: string };
    return new Promise<string>((done) => {
      const ws = new WebSocket(
        `${wsUrl}${wsUrl.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`,
      );
      const timer = setTimeout(() => done("timeout"), 45_000);
      ws.onopen = () => ws.send(JSON.stringify({ action: "call.signal", callId: "cal_warm", data: {} }));
      ws.onmessage = (e) => {
        const type = (JSON.parse(String(e.data)) as { type?: string }).type;
        if (type !== "system.error") return;
        clearTimeout(timer);
        ws.close();
        done(type);
      };
    });
  }, account.accessToken);
  expect(refused).toBe("system.error");
  await context.close();
}
