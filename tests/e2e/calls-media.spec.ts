// Calls at the edges: "Calling…" while the call is placed and one call for a double click; the camera refused
// (a clear message, and the call goes on with voice); the ring sounding once the page was interacted with;
// a connection that drops (the other browser dies) restarting ICE, then failing with a clear message; and the
// call's Web Push in the service worker (the ring shown, closed by the end's push with the same tag).
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import type { Account } from "./support/api";
import {
  callPage,
  callView,
  dialog,
  expectConnectedBothWays,
  online,
  pair,
  peerStats,
  warmCallRoutes,
} from "./support/calls";
import { type LocalJson as CloudJson, liveSockets, localCloud } from "./support/local-cloud";

test.use({ locale: "en-US" });

/** local.json, with the local push service the push test sends through. */
interface LocalJson extends CloudJson {
  push?: { url: string };
}

const isStart = (method: string, url: string) => method === "POST" && new URL(url).pathname === "/api/calls";

test.describe("calls at the edges", () => {
  test.beforeAll(async ({ browser, request }, info) => {
    info.setTimeout(90_000);
    await warmCallRoutes(browser, info.project.use.baseURL!, request);
  });

  test("a call being placed says so, and a double click places one call", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cc");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    // The POST waits here until the page has been looked at: "Calling…" is what the user sees meanwhile.
    let posts = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await pa.route("**/api/calls", async (route) => {
      if (!isStart(route.request().method(), route.request().url())) return route.fallback();
      posts++;
      await held;
      await route.continue();
    });
    const button = pa.getByRole("button", { name: `Voice call with ${b.displayName}` });
    await button.dblclick();
    // The camera and microphone first, then the POST, held; the button says so all along.
    await expect.poll(() => posts).toBe(1);
    await expect(button).toHaveText("Calling…");
    await expect(button).toHaveAttribute("aria-busy", "true");
    await expect(button).toBeDisabled();
    await expect(pa.getByRole("button", { name: `Video call with ${b.displayName}` })).toBeDisabled();
    await expect(pa.getByRole("status").filter({ hasText: "Calling…" })).toHaveCount(1);
    expect(posts).toBe(1);
    release();

    await expect(callView(pa)).toContainText("Ringing");
    await expect(dialog(pb)).toBeVisible();
    await expect(button).toHaveText("Voice call");
    expect(posts).toBe(1);
    await pa.context().close();
    await pb.context().close();
  });

  test("camera refused: a clear message, and the call goes on with voice", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cr");
    const pa = await callPage(browser, baseURL!, a);
    // The caller's camera is blocked: a video getUserMedia fails as a denied permission does; audio still works.
    await pa.context().addInitScript(() => {
      const media = navigator.mediaDevices;
      const original = media.getUserMedia.bind(media);
      media.getUserMedia = (constraints?: MediaStreamConstraints) =>
        constraints?.video
          ? Promise.reject(new DOMException("Permission denied", "NotAllowedError"))
          : original(constraints);
    });
    const pb = await callPage(browser, baseURL!, b);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    await pa.getByRole("button", { name: `Video call with ${b.displayName}` }).click();
    await expect(callView(pa)).toContainText("Ringing");
    await expect(callView(pa)).toContainText(/camera.*(blocked|found)/i);
    await dialog(pb).getByRole("button", { name: "Accept" }).click();
    for (const page of [pa, pb])
      await expect(callView(page)).toHaveAttribute("data-phase", "connected", { timeout: 15_000 });
    // The caller is heard (its microphone's audio reaches the callee) and shown as camera off; it still sees the
    // callee's video.
    await expect(pb.getByTestId("call-remote-state")).toContainText("camera is off");
    await expect.poll(() => inboundAudioPackets(pb), { timeout: 10_000 }).toBeGreaterThan(0);
    const first = (await peerStats(pa))?.framesDecoded ?? 0;
    await expect.poll(async () => (await peerStats(pa))?.framesDecoded ?? 0).toBeGreaterThan(first);
    await expect(callView(pa)).toContainText(/camera.*(blocked|found)/i);
    await pa.getByRole("button", { name: "Hang up" }).click();
    await expect(callView(pb)).toContainText("Call ended.", { timeout: 10_000 });
    await pa.context().close();
    await pb.context().close();
  });

  // Before any gesture the ring stays silent: packages/web/test/ring.test.ts, as Playwright's own calls into a page
  // count as user activation in Chromium.
  test("the ring sounds once the page was interacted with, and stops on answer", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "cs");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    // Every AudioContext the callee's page makes, and the tones started on it.
    await pb.context().addInitScript(() => {
      const w = window as unknown as { __ring: { state: () => string; tones: number }[] };
      w.__ring = [];
      const Original = window.AudioContext;
      window.AudioContext = class extends Original {
        constructor(options?: AudioContextOptions) {
          super(options);
          const entry = { state: () => this.state as string, tones: 0 };
          w.__ring.push(entry);
          const create = this.createOscillator.bind(this);
          this.createOscillator = () => {
            entry.tones++;
            return create();
          };
        }
      };
    });
    const rings = (page: Page) =>
      page.evaluate(() =>
        (window as unknown as { __ring: { state: () => string; tones: number }[] }).__ring.map((r) => ({
          state: r.state(),
          tones: r.tones,
        })),
      );
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    // The callee clicked somewhere on the page: the next call rings aloud until it is answered.
    await pb.locator("main").click({ position: { x: 2, y: 2 } });
    await pa.getByRole("button", { name: `Voice call with ${b.displayName}` }).click();
    await expect(dialog(pb)).toBeVisible();
    await expect.poll(() => rings(pb)).toEqual([{ state: "running", tones: expect.any(Number) }]);
    expect((await rings(pb))[0]!.tones).toBeGreaterThanOrEqual(4);
    await dialog(pb).getByRole("button", { name: "Accept" }).click();
    await expect.poll(async () => (await rings(pb))[0]?.state).toBe("closed");
    await expect(callView(pb)).toHaveAttribute("data-phase", "connected", { timeout: 15_000 });
    await pb.getByRole("button", { name: "Hang up" }).click();
    await expect(callView(pa)).toContainText("Call ended.", { timeout: 10_000 });
    await pa.context().close();
    await pb.context().close();
  });

  test("a dropped connection restarts ICE, then fails with a clear message", async ({
    browser,
    baseURL,
    request,
  }) => {
    test.setTimeout(90_000);
    const local = await localCloud(baseURL);
    const { a, b, roomId } = await pair(request, "ci");
    const pa = await callPage(browser, baseURL!, a);
    const pb = await callPage(browser, baseURL!, b);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await pb.goto("/");
    await online(local, a, b);

    await pa.getByRole("button", { name: `Video call with ${b.displayName}` }).click();
    await dialog(pb).getByRole("button", { name: "Accept" }).click();
    await expectConnectedBothWays(pa, pb, ["udp", "tcp"]);

    // The callee's browser dies mid-call (no bye, no close from its side): the caller's ICE loses its consent.
    const restarted = pa.waitForRequest(
      (req) =>
        req.method() === "POST" && /\/api\/calls\/[^/]+\/ice-servers$/.test(new URL(req.url()).pathname),
      { timeout: 30_000 },
    );
    const cdp = await pb.context().newCDPSession(pb);
    // The crash takes the page's CDP session with it: the command gets no answer.
    void cdp.send("Page.crash").catch(() => undefined);
    await expect(callView(pa)).toContainText("Connection lost. Reconnecting…", { timeout: 20_000 });
    await expect(callView(pa)).toHaveAttribute("data-phase", "reconnecting");
    // After a few seconds down, fresh relay credentials and an ICE restart.
    await restarted;
    // Nobody answers the restart: the call ends with a message, not a spinner.
    await expect(callView(pa)).toHaveAttribute("data-phase", "ended", { timeout: 20_000 });
    await expect(callView(pa)).toContainText(
      /The connection was lost and couldn't be restored\.|The connection to the other person was lost\./,
    );
    await pa.context().close();
    await pb
      .context()
      .close()
      .catch(() => undefined);
  });

  test("an offline callee's ring comes as a push the worker shows, and the end's push closes it", async ({
    browser,
    baseURL,
    request,
  }) => {
    const local = await localCloud<LocalJson>(baseURL);
    const { a, b, roomId } = await pair(request, "cn");
    // B has no socket, one push subscription at the local push service.
    expect(local.push?.url, "local.json has no push service").toBeTruthy();
    const subscribed = await request.post(`${local.push!.url}/subscriptions`);
    expect(subscribed.ok(), await subscribed.text()).toBe(true);
    const subscription = (await subscribed.json()) as { endpoint: string };
    const registered = await request.post("/api/push/subscriptions", {
      headers: { authorization: `Bearer ${b.accessToken}` },
      data: subscription,
    });
    expect(registered.status(), await registered.text()).toBe(201);
    expect(await liveSockets(local, b.id)).toBe(0);

    const pa = await callPage(browser, baseURL!, a);
    await pa.goto(`/chat/room/?id=${encodeURIComponent(roomId)}`);
    await online(local, a);
    await pa.getByRole("button", { name: `Voice call with ${b.displayName}` }).click();
    await expect(callView(pa)).toContainText("Ringing");
    const ring = await pushOf(request, subscription.endpoint, "call.ringing");
    expect(ring.title).toContain(a.displayName);

    // B's browser, its worker installed and no tab of the app in front: the ring shows as a notification.
    const { context, origin } = await workerContext(browser, baseURL!, b);
    await deliverPush(context, origin, ring);
    await expect.poll(() => notifications(context), { timeout: 15_000 }).toHaveLength(1);
    const [shown] = await notifications(context);
    expect(shown).toMatchObject({
      title: ring.title,
      tag: ring.tag,
      data: { kind: "call", callId: ring.id },
    });

    // Nobody answers (the ring lasts 4 s in the e2e cloud): the end's push, same tag, closes the ring.
    await expect(callView(pa)).toContainText("No answer.", { timeout: 20_000 });
    const end = await pushOf(request, subscription.endpoint, "call.ended");
    expect(end).toMatchObject({ id: ring.id, tag: ring.tag, state: "missed" });
    await deliverPush(context, origin, end);
    await expect.poll(() => notifications(context), { timeout: 15_000 }).toHaveLength(0);
    await context.close();
    await pa.context().close();
  });
});

/** Audio packets the page's peer has received. */
function inboundAudioPackets(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { __asyncsnsCall?: { pc: RTCPeerConnection | null } }).__asyncsnsCall
      ?.pc;
    if (!pc) return 0;
    let packets = 0;
    (await pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "audio") packets += s.packetsReceived ?? 0;
    });
    return packets;
  });
}

interface PushPayload {
  type: string;
  id?: string;
  title?: string;
  tag?: string;
  state?: string;
}

/** What the local push service decrypted for this endpoint, oldest first. */
async function pushes(request: APIRequestContext, endpoint: string): Promise<PushPayload[]> {
  const res = await request.get(`${endpoint}/received`);
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as unknown;
  const list = (Array.isArray(body) ? body : (body as { items: unknown[] }).items) as unknown[];
  return list.map((entry) => {
    const payload = (entry as { payload?: unknown }).payload ?? entry;
    return (typeof payload === "string" ? JSON.parse(payload) : payload) as PushPayload;
  });
}

/** The first push of this type the endpoint received, once it has. */
async function pushOf(request: APIRequestContext, endpoint: string, type: string): Promise<PushPayload> {
  let found: PushPayload | undefined;
  await expect
    .poll(async () => (found = (await pushes(request, endpoint)).find((p) => p.type === type)), {
      timeout: 30_000,
    })
    .toBeTruthy();
  return found!;
}

/**
 * A browser context of `account` with the app's service worker installed and notifications allowed, and no tab of
 * the app left open (the worker shows no ring over a tab in front, which has the dialog).
 */
async function workerContext(browser: Parameters<typeof callPage>[0], baseURL: string, account: Account) {
  const page = await callPage(browser, baseURL, account);
  const context = page.context();
  const origin = new URL(baseURL).origin;
  await context.grantPermissions(["notifications"], { origin });
  await page.goto("/notifications/");
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
  await page.goto("about:blank");
  return { context, origin };
}

/** Delivers a push to the origin's service worker the way the browser's push service would (CDP). */
async function deliverPush(
  context: Awaited<ReturnType<typeof workerContext>>["context"],
  origin: string,
  payload: object,
) {
  const page = context.pages()[0]!;
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolveId) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const found = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (found) resolveId(found.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.deliverPushMessage", {
    origin,
    registrationId: await registrationId,
    data: JSON.stringify(payload),
  });
  await cdp.detach();
}

/** The notifications the worker shows now, read in the worker itself. */
async function notifications(context: Awaited<ReturnType<typeof workerContext>>["context"]) {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  return worker.evaluate(async () => {
    const scope = globalThis as unknown as {
      registration: {
        getNotifications(): Promise<{ title: string; tag: string; data: unknown }[]>;
      };
    };
    return (await scope.registration.getNotifications()).map((n) => ({
      title: n.title,
      tag: n.tag,
      data: n.data,
    }));
  });
}
