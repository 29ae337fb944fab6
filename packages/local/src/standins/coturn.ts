// coturn (Debian's `coturn`, `turnserver`) as the local TURN relay, with TURN REST credentials (use-auth-secret)
// that the KVS signalling stand-in mints: the recipe and the measurements are in DESIGN.md.
import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  freePort,
  isRunning,
  reapStale,
  removePidFile,
  StandInError,
  stopChild,
  trackChild,
  waitUntilHealthy,
  writePidFile,
} from "./processes";
import { encodeStun, STUN, stunRequest } from "./stun";

const STAND_IN = "coturn";
export const TURN_REALM = "asyncsns.local";
/** Relay ports per run: two peers of a call take a few each; a bounded range keeps runs from spreading out. */
export const RELAY_PORTS = 200;
const INSTALL_HINT =
  "Install it with `sudo apt-get install -y coturn` (Debian/Ubuntu; the package starts no service).";

export interface RunningCoturn {
  host: string;
  port: number;
  realm: string;
  /** The static auth secret of this run: whoever holds it can mint credentials (the KVS stand-in, tests). */
  secret: string;
  pid: number;
  logPath: string;
  stop(): Promise<void>;
}

export async function startCoturn(args: {
  dataDir: string;
  timeoutMs: number;
  /** Executable, default `turnserver` on PATH. */
  turnserverPath?: string;
  log?: (line: string) => void;
}): Promise<RunningCoturn> {
  const dir = join(args.dataDir, "coturn");
  mkdirSync(dir, { recursive: true });
  const logPath = join(args.dataDir, "logs", "coturn.log");
  mkdirSync(dirname(logPath), { recursive: true });
  const pidPath = join(args.dataDir, "pids", "coturn.pid");
  // The packaged /etc/turnserver.conf logs to syslog: an empty config file of our own instead.
  const configPath = join(dir, "turnserver.conf");
  writeFileSync(configPath, "");
  await reapStale(pidPath, configPath, args.log);

  const host = "127.0.0.1";
  const secret = randomBytes(24).toString("base64url");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(host);
    const minPort = randomInt(49152, 65535 - RELAY_PORTS);
    const logFd = openSync(logPath, "a");
    const child = spawn(
      args.turnserverPath ?? "turnserver",
      [
        "-c",
        configPath,
        `--listening-ip=${host}`,
        `--relay-ip=${host}`,
        `--listening-port=${port}`,
        `--min-port=${minPort}`,
        `--max-port=${minPort + RELAY_PORTS - 1}`,
        // Both peers relay on loopback; without it coturn answers 403 Forbidden IP.
        "--allow-loopback-peers",
        "--no-tls",
        "--no-dtls",
        "--no-cli",
        "--fingerprint",
        "--use-auth-secret",
        `--static-auth-secret=${secret}`,
        `--realm=${TURN_REALM}`,
        `--log-file=${logPath}`,
        "--simple-log",
        "--no-stdout-log",
        // Its own pid file and user database in the data dir, not under /var.
        `--pidfile=${join(dir, "turnserver.pid")}`,
        `--userdb=${join(dir, "turndb")}`,
      ],
      { cwd: dir, stdio: ["ignore", logFd, logFd] },
    );
    closeSync(logFd);
    trackChild(child);
    child.unref();
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => resolve(child.pid!));
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "ENOENT"
            ? new StandInError(STAND_IN, `coturn's \`turnserver\` was not found. ${INSTALL_HINT}`)
            : error,
        ),
      );
    });
    writePidFile(pidPath, pid);
    try {
      await waitUntilHealthy({
        standIn: STAND_IN,
        child,
        logPath,
        timeoutMs: args.timeoutMs,
        healthy: async () =>
          (await stunRequest(host, port, encodeStun({ type: STUN.bindingRequest, attributes: [] }), 200))
            .type === STUN.bindingSuccess,
      });
    } catch (err) {
      await stopChild(child);
      removePidFile(pidPath, pid);
      // Another process took the port between freePort and the bind.
      if (attempt < 3) continue;
      throw err;
    }
    return {
      host,
      port,
      realm: TURN_REALM,
      secret,
      pid,
      logPath,
      async stop() {
        if (isRunning(child)) await stopChild(child);
        removePidFile(pidPath, pid);
      },
    };
  }
}
