// Runs one evaluation in a child process (the platform keeps global state and chdirs) and reads its JSON.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { InfraGraph } from "./graph";
import type { EvaluatedApp } from "./types";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");
export const appConfig = path.join(repoRoot, "sst.config.ts");
const child = path.join(import.meta.dirname, "child.ts");

export function assertPlatform() {
  if (!existsSync(path.join(repoRoot, ".sst/platform/.asyncsns-platform-stamp")))
    throw new Error("SST platform missing: run `npm run infra:setup` first");
}

/** What `sst secret set` gave the stage: the CLI hands secrets to the program as SST_SECRET_<name>. */
export const STAGE_SECRETS: NodeJS.ProcessEnv = {
  SST_SECRET_VapidPublicKey: "BPublicKeyOfTheInfraTestStage",
  SST_SECRET_VapidPrivateKey: "PrivateKeyOfTheInfraTestStage",
};

export async function evaluateInChild(config: string, stage: string, env: NodeJS.ProcessEnv = {}) {
  assertPlatform();
  const dir = path.join(repoRoot, ".sst/infra-test/graphs");
  mkdirSync(dir, { recursive: true });
  const tag = path.relative(repoRoot, path.dirname(config)).replace(/[^\w-]+/g, "_") || "app";
  const out = path.join(dir, `${tag}-${stage}-${Object.values(env).join("_") || "default"}.json`);
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", child, config, stage, out],
      { cwd: repoRoot, env: { ...process.env, ...STAGE_SECRETS, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`evaluating ${config} (${stage}) failed:\n${stderr || error.message}`));
        else resolve();
      },
    );
  });
  return JSON.parse(readFileSync(out, "utf8")) as EvaluatedApp;
}

export async function loadGraph(config: string, stage: string, env?: NodeJS.ProcessEnv) {
  return new InfraGraph(await evaluateInChild(config, stage, env));
}
