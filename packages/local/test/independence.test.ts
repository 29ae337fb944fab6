// The local cloud emulates AWS for any SST app: its source imports nothing of this app and names none of its domains.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../src");

/** The app's packages, by name or by path. */
const APP_CODE = /@asyncsns\/(core|functions|realtime|web)\b|packages\/(core|functions|realtime|web)\b/g;

/** The app's domains; a plural ("posts", "replies") counts as its word. */
const DOMAIN = [
  "post",
  "timeline",
  "chat",
  "room",
  "follow",
  "follower",
  "followee",
  "profile",
  "handle",
  "notification",
  "feed",
  "hashtag",
  "mention",
  "reply",
  "card",
  "avatar",
  "media",
];
const plural = (w: string) => (w.endsWith("y") ? `${w.slice(0, -1)}ies` : `${w}s`);
const DOMAIN_WORDS = new Set(DOMAIN.flatMap((w) => [w, plural(w)]));

type Token = { text: string; word: string; identifier: string; part: number; parts: number };

/** Words of a line, identifiers split at camelCase, `_` and digits, so `authorHandle` holds "handle". */
function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const [identifier] of line.matchAll(/[A-Za-z0-9_$]+/g)) {
    const parts = identifier
      .split(/[_$0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
      .filter((p) => p.length > 0);
    parts.forEach((text, part) => {
      out.push({ text, word: text.toLowerCase(), identifier, part, parts: parts.length });
    });
  }
  return out;
}

/** AWS and platform words that collide with a domain word. */
function awsWord(t: Token, before: Token | undefined, after: Token | undefined, line: string): boolean {
  switch (t.word) {
    case "post":
      // The HTTP method, and a worker's postMessage.
      return t.identifier === "POST" || (after?.word === "message" && after.identifier === t.identifier);
    case "handle":
    case "handles":
      // SQS receipt handles, and handleX as a verb.
      return before?.word === "receipt" || (t.part === 0 && t.parts > 1);
    case "notification":
    case "notifications":
      // S3 bucket notifications, SNS (Simple Notification Service) and its "Notification" message type.
      return (
        /bucket/i.test(line) ||
        before?.word === "simple" ||
        before?.word === "sns" ||
        line.includes(`Type: "Notification"`)
      );
    default:
      return false;
  }
}

function domainWords(line: string): string[] {
  const ts = tokens(line);
  return ts
    .filter((t, i) => DOMAIN_WORDS.has(t.word) && !awsWord(t, ts[i - 1], ts[i + 1], line))
    .map((t) => t.text);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f))
    .map((f) => join(dir, f));
}

describe("the local cloud knows AWS, not this app", () => {
  it("finds domain words in identifiers and prose, but not the AWS words that collide with them", () => {
    expect(domainWords("const authorHandle = await getPost(id); // the user's feed")).toEqual([
      "Handle",
      "Post",
      "feed",
    ]);
    expect(domainWords("POST_LIMIT, chatRooms, replies, /media/x")).toEqual([
      "POST",
      "chat",
      "Rooms",
      "replies",
      "media",
    ]);
    expect(
      domainWords(
        'if (method === "POST") worker.postMessage(m); q.ReceiptHandle; handleUpgrade(); bucketNotifications; SimpleNotificationService',
      ),
    ).toEqual([]);
  });

  it("imports no app package and names none of the app's domains", () => {
    const found: string[] = [];
    for (const file of sources(SRC)) {
      const rel = file.slice(SRC.length + 1);
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          for (const [m] of line.matchAll(APP_CODE)) found.push(`${rel}:${i + 1}: ${m}`);
          for (const w of domainWords(line)) found.push(`${rel}:${i + 1}: ${w}`);
        });
      // Path segments count too (a folder named after a domain).
      for (const w of domainWords(rel)) found.push(`${rel}: ${w}`);
    }
    expect(sources(SRC).length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});
