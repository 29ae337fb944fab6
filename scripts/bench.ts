// Each figure is measured beside a baseline in the same run because these machines are noisy.
import { spawnSync } from "node:child_process";
import { benchLocal } from "./bench/local";

const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith("-"));
const sections = firstFlag === -1 ? args : args.slice(0, firstFlag);
const flags = firstFlag === -1 ? [] : args.slice(firstFlag);
const want = (name: string) => sections.length === 0 || sections.includes(name);
// Sections that import core run in their own process: core's clients read their env at module scope.
const run = (...script: string[]) => spawnSync("npx", ["tsx", ...script, ...flags], { stdio: "inherit" });

if (want("local")) await benchLocal();
if (want("chat")) run("scripts/bench/chat.ts");
if (want("timeline")) run("scripts/bench/timeline.ts");
if (want("search")) run("--expose-gc", "scripts/bench/search.ts");
if (want("inputs")) run("scripts/bench/inputs.ts");
if (want("load")) run("scripts/bench/load.ts");
if (want("notifications")) run("scripts/bench/notifications.ts");
if (want("calls")) run("scripts/bench/calls.ts");
if (want("writes")) run("scripts/bench/writes.ts");
if (want("live")) run("scripts/bench/live.ts");
if (want("web")) run("scripts/bench/web.ts");
process.exit(0);
