// sst.aws.Queue: the queue and its one subscriber with batch settings.
import type { Value } from "../../topology";
import { logicalName, prettyHash } from "../naming";
import { COMPONENT, output, serialize, unwrap } from "../output";
import { toSeconds } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";
import { buildFunction } from "./function";

export class Queue extends Component {
  static override readonly sstType = "sst.aws.Queue" as const;
  private subscribed = false;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.Queue", name, args, opts);
    this.record({ url: this.ref("url") });
  }
  get url() {
    return this.ref("url");
  }
  get arn() {
    return this.ref("arn");
  }
  subscribe(subscriber: unknown, maybeArgs?: unknown) {
    const queue = this[COMPONENT].name;
    if (this.subscribed) throw new Error(`Cannot subscribe to the "${queue}" queue multiple times.`);
    this.subscribed = true;
    const args = (unwrap(maybeArgs) ?? {}) as Args;
    // SST hashes the deployed queue ARN; locally the logical name stands in for it.
    const subName = `${queue}Subscriber${logicalName(prettyHash(`arn:aws:sqs:local:${queue}`, 6))}`;
    const fn = buildFunction(this.ctx, `${subName}Function`, subscriber, {}, undefined, subName);
    const batch = (args.batch ?? {}) as Args;
    this.ctx.topology.queueSubscriptions.push({
      name: subName,
      queue,
      function: fn,
      batchSize: Number(batch.size ?? 10),
      partialResponses: Boolean(batch.partialResponses),
      ...(batch.window ? { window: toSeconds(String(unwrap(batch.window)), 0) } : {}),
      filters: serialize(args.filters ?? []) as Value[],
    });
    return output({ name: subName });
  }
}
