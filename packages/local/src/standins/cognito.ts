// cognito-local as a child process with idempotent pools and clients; differences: packages/local/README.md.
import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type UsernameAttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
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
import type { StandInOptions, UserPoolSpec } from "./types";

const STAND_IN = "cognito-local";

export interface RunningCognito {
  endpoint: string;
  pid: number;
  logPath: string;
  stop(): Promise<void>;
}

/** A process killed mid-write leaves truncated JSON that cognito-local cannot load; keep it aside, start clean. */
function setAsideCorruptState(dbDir: string, log?: (line: string) => void): void {
  if (!existsSync(dbDir)) return;
  for (const file of readdirSync(dbDir).filter((f) => f.endsWith(".json"))) {
    const path = join(dbDir, file);
    try {
      JSON.parse(readFileSync(path, "utf8"));
    } catch {
      const aside = `${path}.corrupt-${Date.now()}`;
      renameSync(path, aside);
      log?.(
        `cognito-local state ${file} was unreadable (an earlier run stopped mid-write); moved to ${aside}`,
      );
    }
  }
}

/** Keeps whatever a developer put in config.json but pins the issuer and listener to this run's port. */
function writeConfig(cognitoDir: string, port: number): void {
  const path = join(cognitoDir, ".cognito", "config.json");
  mkdirSync(dirname(path), { recursive: true });
  let config: Record<string, Record<string, unknown> | undefined> = {};
  try {
    if (existsSync(path)) config = JSON.parse(readFileSync(path, "utf8"));
  } catch {}
  const endpoint = `http://127.0.0.1:${port}`;
  config.TokenConfig = { ...config.TokenConfig, IssuerDomain: endpoint };
  config.ServerConfig = { ...config.ServerConfig, port, hostname: "127.0.0.1" };
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
}

export async function startCognitoLocal(args: {
  dataDir: string;
  timeoutMs: number;
  confirmationCode?: string;
  onConfirmationCode?: StandInOptions["onConfirmationCode"];
  log?: (line: string) => void;
  /** Start with no users or pools (in-memory runs), as the other stand-ins do. */
  fresh?: boolean;
}): Promise<RunningCognito> {
  const startJs = createRequire(import.meta.url).resolve("cognito-local/lib/bin/start.js");
  const bootJs = join(dirname(fileURLToPath(import.meta.url)), "cognito-local-boot.cjs");
  const cwd = join(args.dataDir, "cognito");
  const logPath = join(args.dataDir, "logs", "cognito.log");
  const pidPath = join(args.dataDir, "pids", "cognito.pid");
  mkdirSync(dirname(logPath), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  await reapStale(pidPath, "cognito-local", args.log);
  const dbDir = join(cwd, ".cognito", "db");
  if (args.fresh) rmSync(dbDir, { recursive: true, force: true });
  else setAsideCorruptState(dbDir, args.log);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    writeConfig(cwd, port);
    const logStream = createWriteStream(logPath, { flags: "a" });
    const child: ChildProcess = spawn(process.execPath, [bootJs, startJs], {
      cwd,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        NO_COLOR: "1",
        ...(args.confirmationCode ? { CODE: args.confirmationCode } : {}),
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    trackChild(child);
    child.stdout?.pipe(logStream, { end: false });
    child.stderr?.pipe(logStream, { end: false });
    child.once("exit", () => logStream.end());
    child.on(
      "message",
      (message: { type?: string; username?: string; code?: string; destination?: string }) => {
        if (message.type !== "confirmation-code" || !message.code) return;
        const info = {
          username: message.username ?? "",
          code: message.code,
          destination: message.destination,
        };
        if (args.onConfirmationCode) args.onConfirmationCode(info);
        else args.log?.(`cognito-local: confirmation code for ${info.username}: ${info.code}`);
      },
    );
    // Neither the pipes nor the IPC channel may keep the parent's event loop alive.
    child.unref();
    for (const s of [child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    (child.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => resolve(child.pid!));
      child.once("error", reject);
    });
    writePidFile(pidPath, pid);
    try {
      await waitUntilHealthy({
        standIn: STAND_IN,
        child,
        logPath,
        timeoutMs: args.timeoutMs,
        healthy: async () => (await fetch(`${endpoint}/health`)).ok,
      });
    } catch (err) {
      await stopChild(child);
      removePidFile(pidPath, pid);
      const lostPortRace = /EADDRINUSE/.test(readFileSync(logPath, "utf8").slice(-4000));
      if (lostPortRace && attempt < 3) continue;
      throw err;
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

/** The physical pool name for a logical name from infra. */
export const poolName = (logicalName: string) => `asyncsns-${logicalName}`;

export async function provisionUserPools(
  client: CognitoIdentityProviderClient,
  specs: UserPoolSpec[],
  log?: (line: string) => void,
): Promise<Record<string, { id: string; clients: Record<string, { id: string }> }>> {
  const out: Record<string, { id: string; clients: Record<string, { id: string }> }> = {};
  const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  for (const spec of specs) {
    const name = poolName(spec.name);
    let id = UserPools.find((p) => p.Name === name)?.Id;
    if (!id) {
      const usernames = spec.usernames ?? ["email"];
      const created = await client.send(
        new CreateUserPoolCommand({
          PoolName: name,
          UsernameAttributes: usernames.map(
            (u): UsernameAttributeType => (u === "phone" ? "phone_number" : "email"),
          ),
          AutoVerifiedAttributes: usernames.includes("email") ? ["email"] : ["phone_number"],
        }),
      );
      id = created.UserPool?.Id;
      if (!id) throw new Error(`cognito-local returned no id for user pool ${name}`);
      log?.(`created user pool ${name} (${id})`);
    }
    const clients: Record<string, { id: string }> = {};
    const { UserPoolClients = [] } = await client.send(
      new ListUserPoolClientsCommand({ UserPoolId: id, MaxResults: 60 }),
    );
    for (const clientSpec of spec.clients) {
      let clientId = UserPoolClients.find((c) => c.ClientName === clientSpec.name)?.ClientId;
      if (!clientId) {
        const created = await client.send(
          new CreateUserPoolClientCommand({
            UserPoolId: id,
            ClientName: clientSpec.name,
            GenerateSecret: false,
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          }),
        );
        clientId = created.UserPoolClient?.ClientId;
        if (!clientId) throw new Error(`cognito-local returned no id for client ${clientSpec.name}`);
        log?.(`created user pool client ${clientSpec.name} (${clientId})`);
      }
      clients[clientSpec.name] = { id: clientId };
    }
    if (spec.groups?.length) {
      const { Groups = [] } = await client.send(new ListGroupsCommand({ UserPoolId: id, Limit: 60 }));
      for (const group of spec.groups.filter((g) => !Groups.some((known) => known.GroupName === g))) {
        await client.send(new CreateGroupCommand({ UserPoolId: id, GroupName: group }));
        log?.(`created group ${group} in user pool ${name}`);
      }
    }
    out[spec.name] = { id, clients };
  }
  return out;
}
