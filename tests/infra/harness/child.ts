// Child-process entry: `node --import tsx child.ts <config> <stage> <out.json>` (one evaluation per process).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { evaluate } from "./evaluate";

const [config, stage, out] = process.argv.slice(2);
if (!config || !stage || !out) {
  console.error("usage: child.ts <sst.config.ts> <stage> <out.json>");
  process.exit(2);
}
try {
  const result = await evaluate({ config: path.resolve(config), stage });
  writeFileSync(out, JSON.stringify(result));
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
