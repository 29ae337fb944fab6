// Web Push secrets: the VAPID private key reaches the deployed app only through the Push link; the site gets
// the public key alone, and no stage lets the sender call a plain-http push service.
import { describe, expect, it } from "vitest";
import { appGraph, STAGE_SECRETS } from "./harness/index";

const PRIVATE_KEY = String(STAGE_SECRETS.SST_SECRET_VapidPrivateKey);
const PUBLIC_KEY = String(STAGE_SECRETS.SST_SECRET_VapidPublicKey);
const PUSH_SECRETS = ["VapidPublicKey", "VapidPrivateKey", "PushInsecureOrigins"];

for (const stage of ["dev-ci", "production"] as const) {
  describe(`Web Push (${stage})`, () => {
    const graph = appGraph(stage);
    const holding = (value: string) =>
      graph.resources.filter((r) => JSON.stringify([r.inputs, r.outputs]).includes(value));
    const pushFunctions = graph
      .functions()
      .filter((f) => f.links.includes("Push"))
      .map((f) => `sst:aws:Function::${f.logicalName}`);

    it("no function links a VAPID secret itself: only the Push link carries them", () => {
      const direct = graph
        .functions()
        .filter((f) => f.links.some((l) => PUSH_SECRETS.includes(l)))
        .map((f) => f.logicalName);
      expect(direct).toEqual([]);
    });

    it("the private key is in no resource but the links and the functions linking Push", () => {
      const leaks = holding(PRIVATE_KEY)
        .filter((r) => r.type !== "sst:sst:LinkRef" && !pushFunctions.includes(r.parent ?? ""))
        .map((r) => `${r.type} ${r.name}`);
      expect(leaks).toEqual([]);
    });

    it("the site's /config.json carries the public key", () => {
      expect(
        holding(PUBLIC_KEY).some((r) => r.type === "sst:aws:StaticSite" || r.parent?.includes("StaticSite")),
      ).toBe(true);
    });

    it("no push service is exempt from the https rule", () => {
      const link = graph.findOne("sst:sst:LinkRef", (_, r) => r.name === "PushLinkRef");
      expect(JSON.stringify(link.inputs)).toContain('"insecureOrigins":""');
    });
  });
}
