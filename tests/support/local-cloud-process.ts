// The local cloud as a child process (`npm run local`), for suites that crash it and benchmarks that weigh it.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

export const CONFIRMATION_CODE = "123456";

export interface LocalCloudUrls {
  webUrl: string;
  apiUrl: string;
  wsUrl: string;
  cognito: { endpoint: string; region: string; userPoolId: string; clientId: string };
}

export interface LocalCloudProcess {
  pid: number;
  urls: LocalCloudUrls;
  /** Every live process of the cloud: the CLI, its JVM and node stand-ins (one process group). */
  pids(): number[];
  /** Resident memory of the whole process group, in bytes. */
  rss(): number;
  /** SIGTERM and wait, as Ctrl-C does. */
  stop(): Promise<void>;
  /** kill -9 of the whole group: nothing runs its exit hooks. */
  killGroup(): Promise<void>;
  /** kill -9 of the CLI alone: its JVM and node stand-ins are left running, orphaned. */
  killParent(): Promise<void>;
}

/** The folder startLocalCloud bundles into for a data dir outside `<root>/.asyncsns`. */
export function buildDirFor(root: string, dataDir: string): string {
  const hash = createHash("sha1").update(resolve(dataDir)).digest("hex").slice(0, 8);
  return join(root, ".asyncsns", `build-${hash}`);
}

function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: state, ppid, pgrp.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** Starts `packages/local/src/cli.ts start` on a free port and resolves once it wrote its URLs. */
export async function spawnLocalCloud(o: {
  root: string;
  dataDir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<LocalCloudProcess> {
  const urlsFile = join(o.dataDir, "local.json");
  rmSync(urlsFile, { force: true });
  const logPath = join(o.dataDir, "cloud.log");
  const out = openSync(logPath, "a");
  const child = spawn(process.execPath, ["--import", "tsx", "packages/local/src/cli.ts", "start"], {
    cwd: o.root,
    // Its own process group, so one signal reaches the JVM and the node stand-ins too.
    detached: true,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      PORT: "0",
      ASYNCSNS_DATA_DIR: o.dataDir,
      ASYNCSNS_CONFIRMATION_CODE: CONFIRMATION_CODE,
      // Write loads post faster than one person may (core/limit/rules.ts), like the other suites.
      ASYNCSNS_LIMIT_FACTOR: process.env.ASYNCSNS_LIMIT_FACTOR ?? "100",
      ...o.env,
    },
  });
  closeSync(out);
  const pgid = child.pid!;
  const deadline = Date.now() + (o.timeoutMs ?? 180_000);
  while (!existsSync(urlsFile)) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) process.kill(-pgid, "SIGKILL");
      const tail = readFileSync(logPath, "utf8").split("\n").slice(-30).join("\n");
      throw new Error(`the local cloud did not start (exit ${child.exitCode ?? child.signalCode}):\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const urls = JSON.parse(readFileSync(urlsFile, "utf8")) as LocalCloudUrls;
  const killGroup = async () => {
    for (const pid of groupPids(pgid))
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    await exited(child, 10_000);
    for (let i = 0; i < 100 && groupPids(pgid).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  };
  return {
    pid: pgid,
    urls,
    pids: () => groupPids(pgid),
    rss: () => groupPids(pgid).reduce((sum, pid) => sum + rssOf(pid), 0),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      if (!(await exited(child, 20_000))) await killGroup();
    },
    killGroup,
    killParent: async () => {
      child.kill("SIGKILL");
      await exited(child, 10_000);
    },
  };
}
