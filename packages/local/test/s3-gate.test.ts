// The local S3 refuses what S3 refuses on presigned POST and presigned GET, and still takes good requests.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningS3, S3RVER_CREDENTIALS, startS3 } from "../src/standins/s3";

const BUCKET = "gate-bucket";
const REGION = "us-east-1";
let dataDir: string;
let s3: RunningS3;
let client: S3Client;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "asyncsns-s3gate-"));
  s3 = await startS3({ dataDir, inMemory: true, buckets: [BUCKET], region: REGION });
  client = new S3Client({
    endpoint: s3.endpoint,
    region: REGION,
    credentials: { ...S3RVER_CREDENTIALS },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const FILE = Buffer.from("hello, bucket");

/** A presigned POST for `key` of exactly FILE's size and type text/plain, as the app makes them. */
async function presign(key: string, expires = 300) {
  return createPresignedPost(client, {
    Bucket: BUCKET,
    Key: key,
    Conditions: [
      ["content-length-range", FILE.length, FILE.length],
      ["eq", "$Content-Type", "text/plain"],
    ],
    Fields: { "Content-Type": "text/plain" },
    Expires: expires,
  });
}

async function post(url: string, fields: Record<string, string>, file = FILE, type = "text/plain") {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(file)], { type }), "f.txt");
  const res = await fetch(url, { method: "POST", body: form });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: text };
}

const exists = async (key: string) =>
  (await fetch(`${s3.endpoint}/${BUCKET}/${key}`, { method: "HEAD" })).status === 200;

const policyOf = (fields: Record<string, string>) =>
  JSON.parse(Buffer.from(fields.Policy!, "base64").toString()) as {
    expiration: string;
    conditions: unknown[];
  };

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64");

/** Signs a policy with the local key, as a backend holding the credentials would. */
function signPolicy(fields: Record<string, string>, policy: object) {
  const [, date, region] = fields["X-Amz-Credential"]!.split("/");
  const h = (k: Buffer | string, d: string) => createHmac("sha256", k).update(d).digest();
  const key = h(h(h(h(`AWS4${S3RVER_CREDENTIALS.secretAccessKey}`, date!), region!), "s3"), "aws4_request");
  const Policy = b64(policy);
  return { ...fields, Policy, "X-Amz-Signature": h(key, Policy).toString("hex") };
}

describe("presigned POST on the local S3", () => {
  it("stores a good upload", async () => {
    const { url, fields } = await presign("uploads/a/good.txt");
    expect((await post(url, fields)).status).toBe(204);
    expect(await exists("uploads/a/good.txt")).toBe(true);
  });

  it("refuses a zeroed signature", async () => {
    const { url, fields } = await presign("uploads/a/zero.txt");
    const res = await post(url, { ...fields, "X-Amz-Signature": "0".repeat(64) });
    expect(res).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await exists("uploads/a/zero.txt")).toBe(false);
  });

  it("refuses a widened policy under the old signature", async () => {
    const { url, fields } = await presign("uploads/a/wide.txt");
    const policy = policyOf(fields);
    const widened = {
      ...policy,
      conditions: policy.conditions.map((c) =>
        Array.isArray(c) && c[0] === "content-length-range" ? ["content-length-range", 0, 1e9] : c,
      ),
    };
    const res = await post(url, { ...fields, Policy: b64(widened) }, Buffer.alloc(4096));
    expect(res).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await exists("uploads/a/wide.txt")).toBe(false);
  });

  it("refuses another key than the policy's", async () => {
    const { url, fields } = await presign("uploads/a/mine.txt");
    const res = await post(url, { ...fields, key: "uploads/b/theirs.txt" });
    expect(res).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(res.message).toContain("Invalid according to Policy: Policy Condition failed");
    expect(await exists("uploads/b/theirs.txt")).toBe(false);
  });

  it("refuses an expired policy, even when correctly signed", async () => {
    const { url, fields } = await presign("uploads/a/late.txt");
    const policy = { ...policyOf(fields), expiration: new Date(Date.now() - 1000).toISOString() };
    const res = await post(url, signPolicy(fields, policy));
    expect(res).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(res.message).toContain("Invalid according to Policy: Policy expired.");
    // The same policy with a future expiration goes through: only the date differed.
    const fresh = { ...policy, expiration: new Date(Date.now() + 60_000).toISOString() };
    expect((await post(url, signPolicy(fields, fresh))).status).toBe(204);
  });

  it("refuses a file larger than content-length-range", async () => {
    const { url, fields } = await presign("uploads/a/big.txt");
    const res = await post(url, fields, Buffer.concat([FILE, Buffer.from("!")]));
    expect(res).toMatchObject({ status: 400, code: "EntityTooLarge" });
    expect(await exists("uploads/a/big.txt")).toBe(false);
  });

  it("refuses another Content-Type than the policy's", async () => {
    const { url, fields } = await presign("uploads/a/type.txt");
    const res = await post(url, { ...fields, "Content-Type": "text/html" }, FILE, "text/html");
    expect(res).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(res.message).toContain('["eq","$Content-Type","text/plain"]');
  });

  it("refuses a field the policy does not name", async () => {
    const { url, fields } = await presign("uploads/a/extra.txt");
    const res = await post(url, { ...fields, "x-amz-meta-evil": "1" });
    expect(res).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(res.message).toContain("Extra input fields: x-amz-meta-evil");
  });
});

describe("presigned GET on the local S3", () => {
  beforeAll(async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "chat/a b.txt", Body: FILE }));
  });

  const signed = (expiresIn = 60) =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: "chat/a b.txt" }), { expiresIn });

  it("serves a good signed URL", async () => {
    const res = await fetch(await signed());
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(FILE);
  });

  it("refuses a tampered signature or a changed expiry", async () => {
    const url = new URL(await signed());
    const zeroed = new URL(url);
    zeroed.searchParams.set("X-Amz-Signature", "0".repeat(64));
    const longer = new URL(url);
    longer.searchParams.set("X-Amz-Expires", "604800");
    for (const u of [zeroed, longer]) {
      const res = await fetch(u);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    }
  });

  it("refuses a signed URL after it expires", async () => {
    // Signed two seconds in the past with a one-second life: still correctly signed, but expired.
    const past = new Date(Date.now() - 2000);
    const res = await fetch(
      await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: "chat/a b.txt" }), {
        expiresIn: 1,
        signingDate: past,
      }),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Request has expired");
  });
});
