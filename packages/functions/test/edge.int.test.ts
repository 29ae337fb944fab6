// The real app behind the local gateway, which applies the Router's distribution (behaviors, policies) as CloudFront would.

import { describe, expect, inject, it } from "vitest";
import { createTestMember } from "../../../tests/support/test-user";

const cloud = inject("localCloud");

/** The CSP as directive → sources. */
const directives = (csp: string) =>
  Object.fromEntries(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources]),
  );

describe("the edge", () => {
  it("answers the site with the Router's security headers, the CSP naming the local bucket, Cognito and WebSocket", async () => {
    const page = await fetch(cloud.webUrl);
    expect(page.headers.get("strict-transport-security")).toBe(
      "max-age=63072000; includeSubDomains; preload",
    );
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const csp = directives(page.headers.get("content-security-policy") ?? "");
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["connect-src"]).toEqual(
      expect.arrayContaining(["'self'", cloud.wsUrl, new URL(cloud.cognito.endpoint).origin]),
    );
    // Presigned URLs point at the S3 stand-in: images, video, audio and uploads must be allowed there.
    const config = (await (await fetch(new URL("/config.json", cloud.webUrl))).json()) as { wsUrl: string };
    // The browser resolves it against the page (resolveWsUrl), so it connects where the CSP allows.
    expect(new URL(config.wsUrl, cloud.webUrl.replace(/^http/, "ws")).toString()).toBe(cloud.wsUrl);
    const s3 = csp["img-src"]!.find((s) => s.startsWith("http://"));
    expect(s3).toBeDefined();
    expect(csp["media-src"]).toContain(s3);
    expect(csp["connect-src"]).toContain(s3);
  });

  it("answers /api with Cache-Control: no-store, errors included", async () => {
    const health = await fetch(`${cloud.apiUrl}/health`);
    expect(health.headers.get("cache-control")).toBe("no-store");
    const member = await createTestMember("edge");
    const missing = await member.api("/users/nobody-here-x");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });

  it("lets a signed-in GET reach the handler with its token (the /api behavior forwards Authorization)", async () => {
    const member = await createTestMember("edgeget");
    const me = await member.api("/me");
    expect(me.status).toBe(200);
    expect(((await me.json()) as { handle: string }).handle).toBe(member.handle);
  });
});
