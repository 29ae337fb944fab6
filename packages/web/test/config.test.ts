import { describe, expect, it } from "vitest";
import { resolveConfig, resolveWsUrl } from "../src/lib/config";

const raw = {
  region: "us-east-1",
  userPoolId: "local_abc",
  userPoolClientId: "client",
  cognitoEndpoint: "http://127.0.0.1:9229",
  apiUrl: "/api",
  wsUrl: "/ws",
  mediaUrl: "/media/",
};

describe("resolveConfig", () => {
  it("resolves relative endpoints against the page and drops trailing slashes", () => {
    const config = resolveConfig(raw, "http://localhost:3000/u/?h=alice");
    expect(config.apiUrl).toBe("http://localhost:3000/api");
    expect(config.mediaUrl).toBe("http://localhost:3000/media");
    expect(config.cognitoEndpoint).toBe("http://127.0.0.1:9229");
  });

  it("takes ws: or wss: from the page's scheme", () => {
    expect(resolveConfig(raw, "http://localhost:3000/").wsUrl).toBe("ws://localhost:3000/ws");
    expect(resolveConfig(raw, "https://dev.example.com/signin/").wsUrl).toBe("wss://dev.example.com/ws");
  });

  it("keeps absolute endpoints as given", () => {
    expect(resolveWsUrl("wss://abc.execute-api.us-east-1.amazonaws.com/prod", "http://localhost:3000/")).toBe(
      "wss://abc.execute-api.us-east-1.amazonaws.com/prod",
    );
  });

  it("passes the VAPID public key on, and leaves it out when the stage has none", () => {
    const key = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
    expect(resolveConfig({ ...raw, vapidPublicKey: key }, "http://localhost/").vapidPublicKey).toBe(key);
    expect(resolveConfig({ ...raw, vapidPublicKey: "" }, "http://localhost/")).not.toHaveProperty(
      "vapidPublicKey",
    );
    expect(resolveConfig(raw, "http://localhost/")).not.toHaveProperty("vapidPublicKey");
  });

  it("refuses a config without a required setting", () => {
    expect(() => resolveConfig({ ...raw, userPoolClientId: "" }, "http://localhost/")).toThrow(
      /userPoolClientId/,
    );
  });
});
