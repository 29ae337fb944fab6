/** Items by name (one, a list, or undefined/false when the step does not apply), so failures have names. */
export type Steps = Record<string, unknown>;

/** Names of the steps that hold items (skipped steps left out). */
export type StepName<S extends Steps> = {
  [K in keyof S & string]: S[K] extends undefined | false | readonly [] ? never : K;
}[keyof S & string];

/** How a transaction ended: written, or cancelled with the names whose condition failed (none: contention). */
export type Outcome<N extends string> = { ok: true } | { ok: false; failed: N[] };

/** The items in order, each paired with the name of its step. */
export function flatten<S extends Steps>(steps: S): { names: StepName<S>[]; items: unknown[] } {
  const names: StepName<S>[] = [];
  const items: unknown[] = [];
  for (const [name, value] of Object.entries(steps)) {
    if (value === undefined || value === false) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      names.push(name as StepName<S>);
      items.push(item);
    }
  }
  return { names, items };
}

/** Each step whose item's condition failed, once, in step order; reasons are positional as DynamoDB gives them. */
export function failedOf<N extends string>(names: N[], reasons: readonly { code?: string }[]): N[] {
  const failed = names.filter((_, i) => reasons[i]?.code === "ConditionalCheckFailed");
  return [...new Set(failed)];
}

/** Whether a cancellation is worth running again as is: no condition failed, so it lost to contention. */
export const isContention = (reasons: readonly { code?: string }[]) =>
  !reasons.some((reason) => reason.code === "ConditionalCheckFailed");
