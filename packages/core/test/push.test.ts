// Which push endpoints and keys a browser may register, and the Topic header the sender derives.
import { createECDH, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkEndpoint, checkKeys, parseOrigins } from "../src/push/endpoint";
import { MAX_PAYLOAD_BYTES, topicOf } from "../src/push/send";

const LOCAL_PUSH = "http://127.0.0.1:41234";
const insecure = parseOrigins(LOCAL_PUSH);

const code = (f: () => void) => {
  try {
    f();
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
};

describe("checkEndpoint", () => {
  it.each([
    "https://fcm.googleapis.com/fcm/send/dXJ0:APA91bH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl",
    "https://web.push.apple.com/QGuQyavXutnMH",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD",
    "https://push.example.com./x",
  ])("accepts the public push service endpoint %s", (endpoint) => {
    expect(code(() => checkEndpoint(endpoint, []))).toBe("ok");
  });

  it.each([
    ["plain http", "http://fcm.googleapis.com/fcm/send/x"],
    ["another scheme", "ftp://push.example.com/x"],
    ["not a URL", "push.example.com/x"],
    ["empty", ""],
    ["credentials", "https://user:pass@push.example.com/x"],
    ["a username", "https://user@push.example.com/x"],
    ["an IPv4 literal", "https://10.0.0.7/x"],
    ["the metadata service", "https://169.254.169.254/latest/meta-data/"],
    ["IPv4 as one decimal", "https://2130706433/x"],
    ["IPv4 in hex", "https://0x7f.0.0.1/x"],
    ["an IPv6 literal", "https://[::1]/x"],
    ["IPv4-mapped IPv6", "https://[::ffff:127.0.0.1]/x"],
    ["localhost", "https://localhost/x"],
    ["localhost with a dot", "https://localhost./x"],
    ["a .localhost name", "https://push.localhost/x"],
    ["an mDNS name", "https://printer.local/x"],
    ["an internal name", "https://push.corp.internal/x"],
    ["a single-label name", "https://intranet/x"],
    ["another port", "https://push.example.com:8443/x"],
    ["over 1024 characters", `https://push.example.com/${"a".repeat(1000)}`],
  ])("refuses %s", (_, endpoint) => {
    expect(code(() => checkEndpoint(endpoint, []))).toBe("push.endpoint_invalid");
  });

  it("accepts plain http on loopback only for an origin the stage lists as insecure", () => {
    expect(code(() => checkEndpoint(`${LOCAL_PUSH}/push/abc`, insecure))).toBe("ok");
    expect(code(() => checkEndpoint(`${LOCAL_PUSH}/push/abc`, []))).toBe("push.endpoint_invalid");
    // Another port on the same host is another origin.
    expect(code(() => checkEndpoint("http://127.0.0.1:41235/push/abc", insecure))).toBe(
      "push.endpoint_invalid",
    );
    expect(code(() => checkEndpoint("http://u:p@127.0.0.1:41234/push/abc", insecure))).toBe(
      "push.endpoint_invalid",
    );
  });

  it("reads the stage setting as comma-separated origins, empty meaning none", () => {
    expect(parseOrigins("")).toEqual([]);
    expect(parseOrigins(" http://127.0.0.1:1/ , http://127.0.0.1:2")).toEqual([
      "http://127.0.0.1:1",
      "http://127.0.0.1:2",
    ]);
  });
});

describe("checkKeys", () => {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const p256dh = ecdh.getPublicKey().toString("base64url");
  const auth = randomBytes(16).toString("base64url");

  it("accepts the keys a browser's PushSubscription.toJSON() gives", () => {
    expect(code(() => checkKeys({ p256dh, auth }))).toBe("ok");
  });

  it.each([
    ["a compressed point", { p256dh: ecdh.getPublicKey(null, "compressed").toString("base64url"), auth }],
    ["a point off the curve", { p256dh: offCurve(ecdh.getPublicKey()), auth }],
    ["p256dh not base64url", { p256dh: `${p256dh.slice(0, -1)}+`, auth }],
    ["a short auth", { p256dh, auth: randomBytes(8).toString("base64url") }],
    ["a missing auth", { p256dh } as { p256dh: string; auth: string }],
  ])("refuses %s", (_, keys) => {
    expect(code(() => checkKeys(keys))).toBe("push.keys_invalid");
  });
});

function offCurve(point: Buffer): string {
  const bad = Buffer.from(point);
  bad[64] = bad[64]! ^ 1;
  return bad.toString("base64url");
}

describe("topicOf", () => {
  it("fits any group key into the Topic header's 32 base64url characters, the same each time", () => {
    const topic = topicOf("post.like:pst_01JABCDEFGHJKMNPQRSTVWXYZ0:with a space/and ünïcode");
    expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(topicOf("post.like:pst_01JABCDEFGHJKMNPQRSTVWXYZ0:with a space/and ünïcode")).toBe(topic);
    expect(topicOf("post.like:pst_2")).not.toBe(topic);
  });

  it("keeps payloads under what every push service accepts", () => {
    // RFC 8291 §4: 4096 bytes less the 86-byte header, the 16-byte tag and the delimiter.
    expect(MAX_PAYLOAD_BYTES).toBeLessThanOrEqual(4096 - 86 - 16 - 1);
  });
});
