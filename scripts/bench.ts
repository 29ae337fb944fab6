// `npm run bench [-- <section>... [--flag value...]]`: every figure the issues ask for, each against a baseline
// measured in the same run (these machines are noisy). Sections: local, chat, timeline, search; flags after the
// sections go to each section's own script (e.g. `npm run bench -- timeline --skip-cloud`). Not part of `npm test`.
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
process.exit(0);
