// Injected invoke failures, a stand-in for Lambda's own crashes: drills and benchmarks see retries and DLQs work.

/** One `glob=probability` entry of a fault spec. */
export interface FaultRule {
  /** The logical function name glob as written (`*` any run of characters, `?` one). */
  pattern: string;
  probability: number;
}

/** The env var the local cloud reads a fault spec from. */
export const FAULTS_ENV = "ASYNCSNS_FAULTS";

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** Parses `"Fn*=0.3,Other=1"` (commas or spaces between entries); throws on anything it cannot read. */
export function parseFaults(spec: string | undefined): FaultRule[] {
  if (!spec?.trim()) return [];
  return spec
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf("=");
      const pattern = entry.slice(0, at).trim();
      const text = entry.slice(at + 1).trim();
      const probability = Number(text);
      if (
        at <= 0 ||
        !pattern ||
        text === "" ||
        !Number.isFinite(probability) ||
        probability < 0 ||
        probability > 1
      )
        throw new Error(`${FAULTS_ENV}: "${entry}" is not <function glob>=<probability from 0 to 1>`);
      return { pattern, probability };
    });
}

/** Decides per invoke whether a function's runtime "crashes"; the first rule whose glob matches applies. */
export class Faults {
  private rules: (FaultRule & { match: RegExp })[] = [];

  constructor(
    spec?: string,
    private readonly random: () => number = Math.random,
  ) {
    this.set(spec);
  }

  /** Replaces the rules (a drill turns faults off before it redrives). */
  set(spec: string | undefined): FaultRule[] {
    const rules = parseFaults(spec);
    this.rules = rules.map((r) => ({ ...r, match: globToRegExp(r.pattern) }));
    return rules;
  }

  get active(): FaultRule[] {
    return this.rules.map(({ pattern, probability }) => ({ pattern, probability }));
  }

  /** The rule that fails this invoke of `fn`, if the dice say so. */
  roll(fn: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.match.test(fn));
    if (!rule || rule.probability === 0) return undefined;
    return this.random() < rule.probability
      ? { pattern: rule.pattern, probability: rule.probability }
      : undefined;
  }
}
