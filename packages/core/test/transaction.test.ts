import { describe, expect, it } from "vitest";
import { failedOf, flatten, isContention } from "../src/dynamo/transaction";

describe("named transaction steps", () => {
  it("keeps the written order, spreads lists and skips steps that do not apply", () => {
    const { names, items } = flatten({
      post: "p",
      parent: undefined,
      tags: ["t1", "t2"],
      media: [],
      skipped: false,
      card: "c",
    });
    expect(items).toEqual(["p", "t1", "t2", "c"]);
    expect(names).toEqual(["post", "tags", "tags", "card"]);
  });

  it("names the steps whose condition failed, from DynamoDB's positional reasons", () => {
    const { names } = flatten({ post: 1, parent: 2, tags: [3, 4], media: [5, 6], card: 7 });
    const reasons = [
      "None",
      "None",
      "None",
      "None",
      "ConditionalCheckFailed",
      "None",
      "ConditionalCheckFailed",
    ];
    expect(
      failedOf(
        names,
        reasons.map((code) => ({ code })),
      ),
    ).toEqual(["media", "card"]);
    // A list step is named once however many of its items failed.
    const both = ["None", "None", "None", "None", "ConditionalCheckFailed", "ConditionalCheckFailed", "None"];
    expect(
      failedOf(
        names,
        both.map((code) => ({ code })),
      ),
    ).toEqual(["media"]);
  });

  it("runs again only when no condition failed", () => {
    expect(isContention([{ code: "None" }, { code: "TransactionConflict" }])).toBe(true);
    expect(isContention([{ code: "ConditionalCheckFailed" }, { code: "TransactionConflict" }])).toBe(false);
  });
});
