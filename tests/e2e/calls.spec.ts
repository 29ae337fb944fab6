// Calls end to end: two browser contexts with Chromium's fake camera and microphone, relay-only ICE through the
// local coturn; connect with frames decoded both ways, mute seen across, hang up from either side, decline,
// missed after the (shortened) ring, and expired TURN credentials ending in a clear failure instead of a spinner.
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { type Account, callApi, createAccount, follow, openAs } from "./support/api";
import { type LocalJson, liveSockets, localCloud } from "./support/local-cloud";

test.use({ locale: "en-US" });

interface Pair {
  a: Account;
  b: Account;
  roomId: string;
}

/** Two people who may call each other: mutual follows sharing a 1:1 room. */
async function pair(request: APIRequestContext, tag: string): Promise<Pair> {
  const a = await createAccount(request, `${tag}a`);
  const b = await createAccount(request, `${tag}b`);
  await follow(request, a, b.handle);
  await follow(request, b, a.handle);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", { memberHandles: [b.handle] });
  return { a, b, roomId: room.id };
}

/** A signed-in page with relay-only ICE and the test-only peer handle (`window.__asyncsnsCall`). */
async function callPage(
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

async function online(local: LocalJson, ...accounts: Account[]) {
  for (const account of accounts)
    await expect.poll(() => liveSockets(local, account.id), { timeout: 20_000 }).toBeGreaterThan(0);
}

interface PeerStats {
  framesDecoded: number;
  iceConnectionState: string;
  candidateType: string | null;
  relayProtocol: string | null;
}

/** getStats() of the call's peer connection: decoded video frames and the selected pair's local candidate. */
function peerStats(page: Page): Promise<PeerStats | null> {
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
function relayProtocols(iceServers: { urls: string[] }[]): string[] {
  const out = new Set<string>();
  for (const s of iceServers)
    for (const url of s.urls) {
      if (!/^turns?:/.test(url)) continue;
      const transport = /[?&]transport=(udp|tcp)/i.exec(url)?.[1]?.toLowerCase();
      out.add(url.startsWith("turns:") ? "tls" : (transport ?? "udp"));
    }
  return [...out];
}

const dialog = (page: Page) => page.getByRole("alertdialog");
const callView = (page: Page) => page.locator("section.call-view");

async function expectConnectedBothWays(a: Page, b: Page, protocols: string[]) {
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
async function warmCallRoutes(browser: Browser, baseURL: string, request: APIRequestContext) {
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

test.describe("calls", () => {
  test.beforeAll(async ({ browser, request }, info) => {
    info.setTimeout(90_000);
    await warmCallRoutes(browser, info.project.use.baseURL!, request);
  });

  test("a video call connects through the relay, shows mute across, and either side ends it", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cv");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    const started = pa.waitForResponse(
      (res) => res.request().method() === "POST" && new URL(res.url()).pathname === "/api/calls",
    );
    await pa.getByRole("button", { name: `Video call with ${b.displayName}` }).click();
    const answer = await started;
    expect(answer.status()).toBe(201);
    const { iceServers } = (await answer.json()) as { iceServers: { urls: string[] }[] };
    const protocols = relayProtocols(iceServers);
    expect(protocols.length).toBeGreaterThan(0);

    // Ringing on the callee's page, with the focus on Accept.
    await expect(callView(pa)).toContainText("Ringing");
    await expect(dialog(pb)).toBeVisible();
    await expect(dialog(pb)).toContainText(a.displayName);
    await expect(dialog(pb).getByRole("button", { name: "Accept" })).toBeFocused();
    await pb.keyboard.press("Enter");
    await expect(dialog(pb)).toBeHidden();

    await expectConnectedBothWays(pa, pb, protocols);

    // Mute and camera off show on the other side.
    await pa.getByRole("button", { name: "Mute" }).click();
    await expect(pb.getByTestId("call-remote-state")).toContainText(`${a.displayName} is muted`);
    await pa.getByRole("button", { name: "Camera off" }).click();
    await expect(pb.getByTestId("call-remote-state")).toContainText("camera is off");
    await pa.getByRole("button", { name: "Camera on" }).click();
    await pa.getByRole("button", { name: "Unmute" }).click();
    await expect(pb.getByTestId("call-remote-state")).toBeHidden();
    // The camera came back without renegotiation: frames flow again on the callee's side.
    const before = (await peerStats(pb))?.framesDecoded ?? 0;
    await expect.poll(async () => (await peerStats(pb))?.framesDecoded ?? 0).toBeGreaterThan(before + 10);

    // The callee hangs up: both see the end.
    await expect(callView(pb).getByRole("status")).toHaveText(/^\d+:\d\d$/);
    await pb.getByRole("button", { name: "Hang up" }).click();
    await expect(callView(pb)).toContainText("Call ended.");
    await expect(callView(pa)).toContainText("Call ended.", { timeout: 10_000 });
    await pa.getByRole("button", { name: "Close" }).click();
    await pb.getByRole("button", { name: "Close" }).click();
    await expect(callView(pa)).toBeHidden();

    // A second call, voice, from the callee's profile of the caller; this time the caller hangs up.
    await pb.goto(`/u/?h=${encodeURIComponent(a.handle)}`);
    await online(local, b);
    await pb.getByRole("button", { name: `Voice call with ${a.displayName}` }).click();
    await expect(dialog(pa)).toBeVisible();
    await expect(dialog(pa)).toContainText("is calling you (voice)");
    await dialog(pa).getByRole("button", { name: "Accept" }).click();
    await expect(callView(pa)).toHaveAttribute("data-phase", "connected", { timeout: 15_000 });
    await expect(callView(pb)).toHaveAttribute("data-phase", "connected", { timeout: 15_000 });
    expect((await peerStats(pa))?.candidateType).toBe("relay");
    await pa.getByRole("button", { name: "Hang up" }).click();
    await expect(callView(pb)).toContainText("Call ended.", { timeout: 10_000 });
    await expect(callView(pa)).toContainText("Call ended.");

    // The room's history keeps both calls.
    await pa.getByRole("button", { name: "Close" }).click();
    await pa.reload();
    const log = pa.getByRole("log");
    await expect(log).toContainText(/Video call · \d+:\d\d/);
    await expect(log).toContainText(/Voice call · \d+:\d\d/);
    await pa.context().close();
    await pb.context().close();
  });

  test("a declined call tells the caller", async ({ browser, baseURL, request }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cd");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    await pa.getByRole("button", { name: `Voice call with ${b.displayName}` }).click();
    await expect(dialog(pb)).toBeVisible();
    // Escape declines.
    await pb.keyboard.press("Escape");
    await expect(dialog(pb)).toBeHidden();
    await expect(callView(pa)).toContainText("They declined the call.", { timeout: 10_000 });
    await expect(callView(pb)).toBeHidden();
    await pa.getByRole("button", { name: "Close" }).click();
    await expect(pa.getByRole("log")).toContainText("Declined call");
    await pa.context().close();
    await pb.context().close();
  });

  test("an unanswered call becomes missed after the ring timeout", async ({ browser, baseURL, request }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cm");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    await pa.getByRole("button", { name: `Video call with ${b.displayName}` }).click();
    await expect(dialog(pb)).toBeVisible();
    // ASYNCSNS_CALL_RING_SECONDS=4 in playwright.config.ts: well within the wait below.
    await expect(callView(pa)).toContainText("No answer.", { timeout: 20_000 });
    await expect(dialog(pb)).toBeHidden();
    await expect(callView(pb)).toContainText("Missed call.");
    await pa.getByRole("button", { name: "Close" }).click();
    await expect(pa.getByRole("log")).toContainText("Missed call");
    await pa.context().close();
    await pb.context().close();
  });

  test("expired relay credentials end in a clear failure within 15 s, not a spinner", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cx");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    // The callee's accept answer carries TURN credentials that expired an hour ago: coturn answers 401.
    await pb.route("**/api/calls/*/accept", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { iceServers: { username: string }[] };
      const past = Math.floor(Date.now() / 1000) - 3600;
      for (const s of body.iceServers) s.username = `${past}:${s.username.split(":").slice(1).join(":")}`;
      await route.fulfill({ response: res, json: body });
    });
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    await pa.getByRole("button", { name: `Video call with ${b.displayName}` }).click();
    await dialog(pb).getByRole("button", { name: "Accept" }).click();
    const accepted = Date.now();
    await expect(callView(pb)).toHaveAttribute("data-phase", "connecting");
    await expect(callView(pb)).toContainText("Could not connect", { timeout: 17_000 });
    expect(Date.now() - accepted).toBeLessThan(17_000);
    await expect(callView(pa)).toContainText("Could not connect", { timeout: 5_000 });
    // The browser that gave up told the server (hang-up with reason failed; the request runs in the background).
    await expect
      .poll(async () => {
        const { items } = await callApi<{ items: { state: string; endReason?: string }[] }>(
          request,
          a,
          "GET",
          "/calls",
        );
        return items[0];
      })
      .toMatchObject({ state: "ended", endReason: "failed" });
    await pa.context().close();
    await pb.context().close();
  });

  test("@phone the incoming dialog and the in-call view fit 360 px", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cp");
    const viewport = { width: 360, height: 740 };
    const pa = await callPage(browser, baseURL!, a, { viewport });
    const pb = await callPage(browser, baseURL!, b, { viewport });
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    await pa.getByRole("button", { name: `Video call with ${b.displayName}` }).click();
    await expect(dialog(pb)).toBeVisible();
    for (const name of ["Accept", "Decline"]) {
      const box = await dialog(pb).getByRole("button", { name }).boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    }
    await dialog(pb).getByRole("button", { name: "Accept" }).click();
    await expect(callView(pb)).toHaveAttribute("data-phase", "connected", { timeout: 15_000 });
    for (const page of [pa, pb]) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      for (const name of ["Mute", "Camera off", "Hang up"]) {
        const box = await callView(page).getByRole("button", { name }).boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(360);
        expect(box!.y + box!.height).toBeLessThanOrEqual(740);
      }
    }
    await pa.getByRole("button", { name: "Hang up" }).click();
    await expect(callView(pb)).toContainText("Call ended.", { timeout: 10_000 });
    await pa.context().close();
    await pb.context().close();
  });
});
