// sst.aws.Dynamo: the table, and stream subscribers with their event source mapping.
import type { Value } from "../../topology";
import { logicalName, PULUMI_OUTPUT_TO_STRING, prettyHash } from "../naming";
import { COMPONENT, output, serialize, unwrap } from "../output";
import { applyTransform, isFunctionSubscriber, recordTransforms, unknownApi } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";
import { buildFunction } from "./function";

export class Dynamo extends Component {
  static override readonly sstType = "sst.aws.Dynamo" as const;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args) {
    super(ctx, "sst.aws.Dynamo", name, args, opts);
    this.record({ name: this.ref("name") }, { transformed: recordTransforms(this.args) });
  }
  get arn() {
    return this.ref("arn");
  }
  get nodes(): never {
    throw unknownApi("sst.aws.Dynamo.nodes");
  }
  subscribe(nameOrSubscriber: unknown, subscriberOrArgs?: unknown, maybeArgs?: unknown) {
    const table = this[COMPONENT].name;
    if (!unwrap(this.args.stream)) {
      throw new Error(`Cannot subscribe to "${table}" because stream is not enabled.`);
    }
    const named = isFunctionSubscriber(subscriberOrArgs);
    const subscriber = named ? subscriberOrArgs : nameOrSubscriber;
    const args = ((named ? unwrap(maybeArgs) : unwrap(subscriberOrArgs)) ?? {}) as Args;
    let subName: string;
    if (named) subName = `${table}Subscriber${nameOrSubscriber}`;
    else {
      const sub = unwrap(subscriber) as string | Args;
      const handler = typeof sub === "string" ? sub : sub.handler;
      const suffix = prettyHash(
        [PULUMI_OUTPUT_TO_STRING, JSON.stringify(args.filters ?? {}), handler].join(""),
        6,
      );
      subName = `${table}Subscriber${logicalName(suffix)}`;
    }
    const fn = buildFunction(
      this.ctx,
      `${subName}Function`,
      subscriber,
      { description: `Subscribed to ${subName}` },
      undefined,
      subName,
    );
    const filters = (args.filters ?? []) as unknown[];
    const esm = applyTransform(unwrap(args.transform)?.eventSourceMapping, `${subName}EventSourceMapping`, {
      eventSourceArn: this.ref("streamArn"),
      startingPosition: "LATEST",
      filterCriteria: filters.length
        ? { filters: filters.map((f) => ({ pattern: JSON.stringify(f) })) }
        : undefined,
    });
    const destination = unwrap(esm.destinationConfig) as Args | undefined;
    const onFailure = (unwrap(destination?.onFailure) as Args | undefined)?.destinationArn;
    this.ctx.topology.streamSubscriptions.push({
      name: subName,
      table,
      function: fn,
      filters: serialize(filters) as Value[],
      batchSize: Number(unwrap(esm.batchSize) ?? 100),
      maximumRetryAttempts: Number(unwrap(esm.maximumRetryAttempts) ?? -1),
      functionResponseTypes: (unwrap(esm.functionResponseTypes) as string[]) ?? [],
      startingPosition: String(unwrap(esm.startingPosition) ?? "LATEST"),
      bisectBatchOnFunctionError: Boolean(unwrap(esm.bisectBatchOnFunctionError) ?? false),
      maximumRecordAgeInSeconds: Number(unwrap(esm.maximumRecordAgeInSeconds) ?? -1),
      ...(onFailure !== undefined ? { onFailure: serialize(onFailure) as Value } : {}),
    });
    return output({ name: subName });
  }
}
