import { describe, expect, it } from "vitest";
import { VisibleError } from "../src/error";
import { groupsOf, MODERATORS, requireModerator } from "../src/moderation";

describe("the moderators' claim", () => {
  it('reads `cognito:groups` as API Gateway hands it over ("[a b]") and as the token holds it (an array)', () => {
    expect(groupsOf("[moderators]")).toEqual(["moderators"]);
    expect(groupsOf("[editors moderators]")).toEqual(["editors", "moderators"]);
    expect(groupsOf(["moderators", "editors"])).toEqual(["moderators", "editors"]);
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf("")).toEqual([]);
    expect(groupsOf("[]")).toEqual([]);
  });

  it("lets members of `moderators` through and refuses everyone else with 403 admin.forbidden", () => {
    expect(MODERATORS).toBe("moderators");
    expect(() => requireModerator("[editors moderators]")).not.toThrow();
    for (const claim of [
      undefined,
      "",
      "[]",
      "[editors]",
      "[moderatorsx]",
      "moderators-team",
      ["Moderators"],
    ]) {
      let error: unknown;
      try {
        requireModerator(claim);
      } catch (e) {
        error = e;
      }
      expect(error, String(claim)).toBeInstanceOf(VisibleError);
      expect((error as VisibleError).kind).toBe("forbidden");
      expect((error as VisibleError).code).toBe("admin.forbidden");
    }
  });
});
