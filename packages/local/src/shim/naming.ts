// SST's hashed child names, reproduced so logs and Resource names match a deployed stage.
import { createHash } from "node:crypto";

const ALPHABET = "abcdefhkmnorstuvwxz";

/** What SST hashes when it stringifies an Output by mistake; kept so derived names match. */
export const PULUMI_OUTPUT_TO_STRING =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Pulumi's literal message
  "Calling [toString] on an [Output<T>] is not supported.\n\nTo get the value of an Output<T> as an Output<string> consider either:\n1: o.apply(v => `prefix${v}suffix`)\n2: pulumi.interpolate `prefix${v}suffix`\n\nSee https://www.pulumi.com/docs/concepts/inputs-outputs for more details.\nThis function may throw in a future version of @pulumi/pulumi.";

export function logicalName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9]/g, "");
  return clean.charAt(0).toUpperCase() + clean.slice(1);
}

export function prettyHash(input: string, length: number): string {
  const hex = createHash("sha256").update(input).digest("hex").slice(0, 16);
  // SST goes through a JS number here, so precision loss is part of the name; reproduce it.
  let n = Number(`0x${hex}`);
  let out = "";
  while (n > 0) {
    out = ALPHABET[n % ALPHABET.length] + out;
    n = Math.floor(n / ALPHABET.length);
  }
  return out.slice(0, length).padStart(length, "s");
}
