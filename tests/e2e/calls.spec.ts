// Calls end to end: two browser contexts with Chromium's fake camera and microphone, relay-only ICE through the
// local coturn; connect with frames decoded both ways, mute seen across, hang up from either side, decline,
// missed after the (shortened) ring, and expired TURN credentials ending in a clear failure instead of a spinner.
import { expect, type Route, test } from "@playwright/test";
import { callApi } from "./support/api";
import {
  callPage,
  callView,
  dialog,
  expectConnectedBothWays,
  online,
  pair,
  peerStats,
  relayProtocols,
  warmCallRoutes,
} from "./support/calls";
import { localCloud } from "./support/local-cloud";

test.use({ locale: "en-US" });

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
    // While it rings the callee's peer already exists (the ring brought its credentials: its relay allocation is
    // made while the person decides), with no camera or microphone on it yet.
    const ringingPeer = await pb.evaluate(() => {
      const pc = (window as unknown as { __asyncsnsCall?: { pc: RTCPeerConnection | null } }).__asyncsnsCall
        ?.pc;
      return pc ? { senders: pc.getSenders().filter((s) => s.track).length } : null;
    });
    expect(ringingPeer).toEqual({ senders: 0 });
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
    // The caller's answer and the callee's accept answer carry TURN credentials that expired an hour ago: coturn
    // answers 401. (The callee's ring brings it good ones: with one side unable to allocate, neither connects.)
    const expire = async (route: Route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { iceServers: { username: string }[] };
      const past = Math.floor(Date.now() / 1000) - 3600;
      for (const s of body.iceServers) s.username = `${past}:${s.username.split(":").slice(1).join(":")}`;
      await route.fulfill({ response: res, json: body });
    };
    await pa.route("**/api/calls", expire);
    await pb.route("**/api/calls/*/accept", expire);
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
