// Writes the stage's runtime settings to out/config.json when SST passes them at deploy time.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const raw = process.env.ASYNCSNS_WEB_CONFIG;
if (raw) {
  const config = JSON.parse(raw);
  for (const key of ["region", "userPoolId", "userPoolClientId", "cognitoEndpoint", "apiUrl", "wsUrl"]) {
    if (typeof config[key] !== "string" || config[key] === "") {
      throw new Error(`ASYNCSNS_WEB_CONFIG: missing "${key}"`);
    }
  }
  const target = fileURLToPath(new URL("../out/config.json", import.meta.url));
  writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
  console.log(`wrote ${target}`);
}
