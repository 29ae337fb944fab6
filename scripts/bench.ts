// `npm run bench [-- <section>...]`: every figure the issues ask for, each against a baseline measured
// in the same run (these machines are noisy). Sections: local, chat, timeline, search. Not part of `npm test`.
import { benchLocal } from "./bench/local";

const sections = process.argv.slice(2);
const want = (name: string) => sections.length === 0 || sections.includes(name);

if (want("local")) await benchLocal();
if (want("chat")) {
  const { spawnSync } = await import("node:child_process");
  spawnSync("npx", ["tsx", "scripts/bench/chat.ts"], { stdio: "inherit" });
}
if (want("timeline")) {
  // Its own process: it imports core with its own local cloud's env (module-scope clients).
  const { spawnSync } = await import("node:child_process");
  spawnSync("npx", ["tsx", "scripts/bench/timeline.ts"], { stdio: "inherit" });
}
if (want("search")) {
  const { spawnSync } = await import("node:child_process");
  spawnSync("npx", ["tsx", "--expose-gc", "scripts/bench/search.ts"], { stdio: "inherit" });
}
process.exit(0);
