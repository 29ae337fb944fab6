import { describe, expect, it } from "vitest";
import { LIMITS as SERVER_LIMITS } from "../../core/src/media/limits";
import { checkFile, contentTypeOf, LIMITS } from "../src/lib/media-limits";
import { formatDuration, relativeTime } from "../src/lib/time";

const MB = 1024 * 1024;

describe("upload limits in the browser", () => {
  it("are the server's limits, so a file refused here would be refused there", () => {
    expect(LIMITS).toEqual(SERVER_LIMITS);
  });

  it("refuses wrong types and oversize files with what the message needs", () => {
    expect(checkFile({ name: "notes.txt", type: "text/plain", size: 10 })).toEqual({
      code: "unsupported",
      type: "text/plain",
    });
    expect(checkFile({ name: "big.png", type: "image/png", size: 17 * MB })).toEqual({
      code: "tooLarge",
      kind: "image",
      maxMb: 16,
      sizeMb: 17,
    });
    expect(checkFile({ name: "long.mp4", type: "video/mp4", size: 100 * MB })).toBeNull();
    expect(checkFile({ name: "long.mp4", type: "video/mp4", size: 100 * MB + 1 })?.code).toBe("tooLarge");
    expect(checkFile({ name: "empty.jpg", type: "image/jpeg", size: 0 })).toEqual({ code: "empty" });
  });

  it("takes the recorder's codec parameters off and falls back to the extension", () => {
    expect(contentTypeOf({ name: "voice.webm", type: "audio/webm;codecs=opus" })).toBe("audio/webm");
    expect(contentTypeOf({ name: "clip.m4a", type: "" })).toBe("audio/mp4");
    expect(contentTypeOf({ name: "IMG_1.JPG", type: "" })).toBe("image/jpeg");
    expect(contentTypeOf({ name: "take.wav", type: "audio/x-wav" })).toBe("audio/x-wav");
  });
});

describe("times", () => {
  const now = Date.parse("2025-01-10T12:00:00Z");
  it("are relative in the chosen language", () => {
    expect(relativeTime("2025-01-10T11:57:00Z", "en", now)).toBe("3 min. ago");
    expect(relativeTime("2025-01-10T11:57:00Z", "ja", now)).toBe("3 分前");
    expect(relativeTime("2025-01-09T12:00:00Z", "en", now)).toBe("yesterday");
    expect(relativeTime("2025-01-10T11:59:58Z", "en", now)).toBe("now");
  });

  it("format durations as m:ss", () => {
    expect(formatDuration(1_200)).toBe("0:01");
    expect(formatDuration(65_000)).toBe("1:05");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
  });
});
