import { describe, expect, it } from "vitest";
import * as ReadAhead from "../src/timeline/read-ahead";

const key = (sk: string) => ({ pk: "p", sk });

describe("home read-ahead", () => {
  it("recalls what each reader's last read learnt, the big authors and the first page's keys apart", () => {
    const ahead = ReadAhead.inMemory();
    expect(ahead.recall("a")).toEqual({});
    ahead.remember("a", { followed: ["big1"] });
    ahead.remember("a", { head: [key("1")] });
    ahead.remember("b", { followed: [] });
    expect(ahead.recall("a")).toEqual({ followed: ["big1"], head: [key("1")] });
    expect(ahead.recall("b")).toEqual({ followed: [] });
  });

  it("drops the reader seen least recently once full", () => {
    const ahead = ReadAhead.inMemory(2);
    ahead.remember("a", { followed: ["x"] });
    ahead.remember("b", { followed: ["y"] });
    ahead.remember("a", { head: [] });
    ahead.remember("c", { followed: ["z"] });
    expect(ahead.recall("b")).toEqual({});
    expect(ahead.recall("a").followed).toEqual(["x"]);
    expect(ahead.recall("c").followed).toEqual(["z"]);
  });

  it("remembers nothing when there is none", () => {
    ReadAhead.none.remember("a", { followed: ["x"] });
    expect(ReadAhead.none.recall("a")).toEqual({});
  });
});
