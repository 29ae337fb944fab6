// kill -9 the local cloud under a write load, restart it on the same data: nothing acknowledged is lost.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { cognitoClient, PASSWORD, signUpAndSignIn } from "../support/cognito";
import {
  buildDirFor,
  type LocalCloudProcess,
  type LocalCloudUrls,
  pidAlive,
  spawnLocalCloud,
} from "../support/local-cloud-process";

const root = resolve(import.meta.dirname, "../..");
const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-crash-"));
// Letters only: one search token that matches this run's posts and nothing else.
const word = `crash${randomUUID()
  .replace(/[^a-f]/g, "")
  .slice(0, 10)}`;
let cloud: LocalCloudProcess | undefined;

afterAll(async () => {
  await cloud?.killGroup();
  await rm(dataDir, { recursive: true, force: true });
  await rm(buildDirFor(root, dataDir), { recursive: true, force: true });
});

interface Member {
  email: string;
  handle: string;
  token: string;
}

async function api(urls: LocalCloudUrls, who: Member, path: string, init: RequestInit = {}) {
  return fetch(`${urls.apiUrl}${path}`, {
    ...init,
    signal: AbortSignal.timeout(60_000),
    headers: {
      authorization: `Bearer ${who.token}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
  });
}

async function member(urls: LocalCloudUrls, prefix: string): Promise<Member> {
  const email = `${prefix}-${randomUUID()}@example.com`;
  const { accessToken } = await signUpAndSignIn(cognitoClient(urls.cognito), urls.cognito.clientId, email);
  const handle = `${prefix}${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  const m = { email, handle, token: accessToken };
  const res = await api(urls, m, "/me", {
    method: "POST",
    body: JSON.stringify({ handle, displayName: prefix }),
  });
  expect(res.status).toBe(201);
  return m;
}

/** Tokens outlive the restart only if cognito-local kept its keys; a fresh sign-in proves the user survived. */
async function signIn(urls: LocalCloudUrls, m: Member): Promise<Member> {
  const auth = await cognitoClient(urls.cognito).send(
    new InitiateAuthCommand({
      ClientId: urls.cognito.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: m.email, PASSWORD },
    }),
  );
  return { ...m, token: auth.AuthenticationResult!.AccessToken! };
}

async function cloudLogTail(): Promise<string> {
  const text = await readFile(join(dataDir, "cloud.log"), "utf8").catch(() => "");
  return `\n--- cloud.log ---\n${text.split("\n").slice(-40).join("\n")}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two writers per author post until `stop.now`; ids the API acknowledged with 201 go to `acked`. */
async function writeLoad(
  urls: LocalCloudUrls,
  authors: Member[],
  stop: { now: boolean; killing: boolean },
  acked: string[],
) {
  let n = 0;
  await Promise.all(
    authors.flatMap((a) =>
      [0, 1].map(async () => {
        while (!stop.now) {
          try {
            const res = await api(urls, a, "/posts", {
              method: "POST",
              body: JSON.stringify({ text: `${word} from ${a.handle} number ${n++}` }),
            });
            if (res.status === 201) acked.push(((await res.json()) as { id: string }).id);
            // Per-user write limits, or a timeout on a starved machine: no acknowledgement, so go on.
            else if (res.status === 429 || res.status >= 500) await sleep(500);
            else throw new Error(`POST /posts: ${res.status} ${await res.text()}${await cloudLogTail()}`);
          } catch (err) {
            // The cloud was killed mid-request: that post was never acknowledged.
            if (stop.killing) return;
            if ((err as Error).message.startsWith("POST")) throw err;
            // A timeout on a busy machine is no acknowledgement either: go on.
            await sleep(200);
          }
        }
      }),
    ),
  );
}

/** Lets `count` posts be acknowledged, then crashes the cloud with `kill` while writes are still in flight. */
async function crashDuringLoad(
  urls: LocalCloudUrls,
  authors: Member[],
  count: number,
  kill: () => Promise<void>,
): Promise<string[]> {
  // While the kill runs, the JVM may die before the CLI: answers then are not acknowledgements.
  const stop = { now: false, killing: false };
  const acked: string[] = [];
  const load = writeLoad(urls, authors, stop, acked).catch((err: Error) => err);
  const deadline = Date.now() + 120_000;
  while (acked.length < count && Date.now() < deadline) await sleep(25);
  stop.killing = true;
  await kill();
  stop.now = true;
  const failed = await load;
  if (failed instanceof Error && failed.message.startsWith("POST")) throw failed;
  expect(acked.length).toBeGreaterThanOrEqual(count);
  return [...acked];
}

async function pages(urls: LocalCloudUrls, who: Member, path: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await api(
      urls,
      who,
      `${path}${sep}limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { items: { id: string }[]; cursor?: string | null };
    ids.push(...body.items.map((p) => p.id));
    cursor = body.cursor ?? undefined;
  } while (cursor);
  return ids;
}

async function missingFrom(urls: LocalCloudUrls, who: Member, path: string, expected: string[]) {
  const seen = new Set(await pages(urls, who, path));
  return expected.filter((id) => !seen.has(id));
}

/** Polls until every id is on each follower's home timeline, in search and on its author's profile. */
async function awaitAll(urls: LocalCloudUrls, followers: Member[], authors: Member[], ids: string[]) {
  const deadline = Date.now() + 120_000;
  let missing: Record<string, string[]> = {};
  for (;;) {
    missing = {};
    for (const f of followers)
      missing[`home of ${f.handle}`] = await missingFrom(urls, f, "/timelines/home", ids);
    missing.search = await missingFrom(urls, followers[0]!, `/search/posts?q=${word}&sort=latest`, ids);
    const onProfiles = new Set<string>();
    for (const a of authors)
      for (const id of await pages(urls, a, `/users/${a.handle}/posts`)) onProfiles.add(id);
    missing.profiles = ids.filter((id) => !onProfiles.has(id));
    if (Object.values(missing).every((m) => m.length === 0) || Date.now() > deadline) break;
    await sleep(500);
  }
  // Posts (DynamoDB) first: a lost write shows up there whatever the subscribers did.
  expect(missing.profiles).toEqual([]);
  expect(missing).toEqual(Object.fromEntries(Object.keys(missing).map((k) => [k, []])));
}

async function dynamoJvmPid(): Promise<number> {
  return (JSON.parse(await readFile(join(dataDir, "pids", "dynamodb.pid"), "utf8")) as { pid: number }).pid;
}

describe("the local cloud after kill -9", () => {
  it("keeps every acknowledged post, and its stream subscribers resume where they stopped", async () => {
    cloud = await spawnLocalCloud({ root, dataDir });
    let urls = cloud.urls;
    let authors = [await member(urls, "author"), await member(urls, "author"), await member(urls, "author")];
    let followers = [await member(urls, "reader"), await member(urls, "reader")];
    for (const f of followers)
      for (const a of authors)
        expect((await api(urls, f, `/users/${a.handle}/follow`, { method: "POST" })).status).toBe(204);

    // Round 1: the whole process group dies at once (JVM and node stand-ins included).
    const first = await crashDuringLoad(urls, authors, 24, () => cloud!.killGroup());
    expect(cloud.pids()).toEqual([]);

    cloud = await spawnLocalCloud({ root, dataDir });
    urls = cloud.urls;
    authors = await Promise.all(authors.map((a) => signIn(urls, a)));
    followers = await Promise.all(followers.map((f) => signIn(urls, f)));

    // Round 2: only the CLI dies; DynamoDB Local's JVM lives on, orphaned, holding its files.
    const jvm = await dynamoJvmPid();
    const second = await crashDuringLoad(urls, authors, 24, () => cloud!.killParent());
    expect(pidAlive(jvm)).toBe(true);

    cloud = await spawnLocalCloud({ root, dataDir });
    urls = cloud.urls;
    // The restart reaped the leftover JVM instead of sharing the data dir with it.
    expect(pidAlive(jvm)).toBe(false);
    authors = await Promise.all(authors.map((a) => signIn(urls, a)));
    followers = await Promise.all(followers.map((f) => signIn(urls, f)));

    await awaitAll(urls, followers, authors, [...first, ...second]);
    await cloud.stop();
  });
});
