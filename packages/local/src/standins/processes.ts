// Child-process plumbing shared by the stand-ins: free ports, pid files, health polling, clean shutdown.
import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname } from "node:path";

/** Asks the OS for a free port; the caller binds it right after (a race we retry on). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not read a free port"))));
    });
  });
}

export class StandInError extends Error {
  constructor(
    readonly standIn: string,
    message: string,
    readonly logPath?: string,
  ) {
    super(logPath ? `${message} (log: ${logPath})${logTail(logPath)}` : message);
    this.name = "StandInError";
  }
}

function logTail(logPath: string, lines = 12): string {
  try {
    const tail = readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    return tail ? `\n--- last lines of ${logPath} ---\n${tail}` : "";
  } catch {
    return "";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `healthy` until it answers true; fails fast when the child dies first. */
export async function waitUntilHealthy(args: {
  standIn: string;
  healthy: () => Promise<boolean>;
  timeoutMs: number;
  logPath: string;
  child?: ChildProcess;
}): Promise<void> {
  const deadline = Date.now() + args.timeoutMs;
  while (Date.now() < deadline) {
    const { child } = args;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new StandInError(
        args.standIn,
        `${args.standIn} exited (${child.exitCode ?? child.signalCode}) before it became healthy`,
        args.logPath,
      );
    }
    if (await args.healthy().catch(() => false)) return;
    await sleep(100);
  }
  throw new StandInError(
    args.standIn,
    `${args.standIn} did not become healthy within ${args.timeoutMs} ms`,
    args.logPath,
  );
}

// Last resort: a parent that exits without stop() must not leave JVMs or node children behind.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of liveChildren) c.kill("SIGKILL");
    });
  }
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  liveChildren.delete(child);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLine(pid: number): string {
  try {
    if (existsSync(`/proc/${pid}/cmdline`))
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    return execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" });
  } catch {
    return "";
  }
}

interface PidRecord {
  pid: number;
  owner: number;
}

/** Kills a crashed run's child, matched by `marker` so a recycled pid is safe; refuses if its owner lives. */
export async function reapStale(
  pidPath: string,
  marker: string,
  log?: (line: string) => void,
): Promise<void> {
  if (!existsSync(pidPath)) return;
  let record: PidRecord | undefined;
  try {
    record = JSON.parse(readFileSync(pidPath, "utf8")) as PidRecord;
  } catch {
    rmSync(pidPath, { force: true });
    return;
  }
  const stillRunning = pidAlive(record.pid) && commandLine(record.pid).includes(marker);
  if (stillRunning && record.owner !== process.pid && pidAlive(record.owner)) {
    throw new Error(
      `${marker} (pid ${record.pid}) for this data dir is still in use by process ${record.owner}; stop that process first or use another dataDir (${pidPath})`,
    );
  }
  if (stillRunning) {
    log?.(`killing stale ${marker} (pid ${record.pid}) left by a previous run`);
    try {
      process.kill(record.pid, "SIGKILL");
    } catch {}
    for (let i = 0; i < 50 && pidAlive(record.pid); i++) await sleep(50);
  }
  rmSync(pidPath, { force: true });
}

export function writePidFile(pidPath: string, pid: number): void {
  mkdirSync(dirname(pidPath), { recursive: true });
  writeFileSync(pidPath, JSON.stringify({ pid, owner: process.pid } satisfies PidRecord));
}

export function removePidFile(pidPath: string, pid: number): void {
  try {
    const record = JSON.parse(readFileSync(pidPath, "utf8")) as PidRecord;
    if (record.pid === pid) rmSync(pidPath, { force: true });
  } catch {}
}
