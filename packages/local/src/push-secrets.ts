// Web Push settings of the local cloud: the app server's VAPID key pair, made once per data dir (browsers'
// subscriptions are bound to the public key, so it must survive a restart as it does across deploys), and the
// local push service's origin, the one endpoint allowed over plain http.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import webpush from "web-push";
import type { RunningStandIns } from "./standins/types";

/**
 * The `sst.Secret`s a Web Push sender reads (infra/push.ts declares them; a test checks the spelling): the
 * local cloud supplies their values, as `sst secret set` does for a stage.
 */
export const PUSH_SECRETS = {
  publicKey: "VapidPublicKey",
  privateKey: "VapidPrivateKey",
  insecureOrigins: "PushInsecureOrigins",
} as const;

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export async function loadVapidKeys(dataDir: string): Promise<VapidKeys> {
  const file = join(dataDir, "vapid.json");
  try {
    const keys = JSON.parse(await readFile(file, "utf8")) as Partial<VapidKeys>;
    if (typeof keys.publicKey === "string" && typeof keys.privateKey === "string")
      return { publicKey: keys.publicKey, privateKey: keys.privateKey };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const keys = webpush.generateVAPIDKeys();
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** Local values of the push secrets (a developer's `ASYNCSNS_SECRET_<name>` still wins, see resolve.ts). */
export async function localSecrets(
  dataDir: string,
  standIns: RunningStandIns,
): Promise<Record<string, string>> {
  const vapid = await loadVapidKeys(dataDir);
  return {
    [PUSH_SECRETS.publicKey]: vapid.publicKey,
    [PUSH_SECRETS.privateKey]: vapid.privateKey,
    [PUSH_SECRETS.insecureOrigins]: standIns.push.endpoint,
  };
}
