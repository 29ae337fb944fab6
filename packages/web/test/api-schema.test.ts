import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiTypes, documentFile, target } from "../../../scripts/api-types";

// The web app's API types are generated: a route change the file does not show would type the client wrongly.
describe("the generated API types", () => {
  it("match the OpenAPI document the Query Lambda serves", async () => {
    const committed = readFileSync(target, "utf8");
    const document = JSON.parse(readFileSync(documentFile, "utf8"));
    expect(committed === (await apiTypes(document)), "api-schema.ts is stale: run npm run routes").toBe(true);
  }, 30_000);
});
