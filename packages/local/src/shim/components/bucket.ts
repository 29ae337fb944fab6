// sst.aws.Bucket: the bucket, and its notifications (notify) or one subscriber (subscribe).
import { logicalName, prettyHash } from "../naming";
import { COMPONENT, output, serialize, unwrap } from "../output";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";
import { buildFunction } from "./function";

const ALL_OBJECT_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"];

export class Bucket extends Component {
  static override readonly sstType = "sst.aws.Bucket" as const;
  private notified = false;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args) {
    super(ctx, "sst.aws.Bucket", name, args, opts);
    this.record({ name: this.ref("name") });
  }
  get arn() {
    return this.ref("arn");
  }
  get domain() {
    return this.ref("domain");
  }
  notify(args: Args) {
    const bucket = this[COMPONENT].name;
    if (this.notified) throw new Error(`Cannot call "notify" on the "${bucket}" bucket multiple times.`);
    this.notified = true;
    const base = `${bucket}Notifications`;
    const bucketNotifications = (unwrap(args.notifications) as Args[]) ?? [];
    for (const n of bucketNotifications) {
      const name = `${bucket}NotificationsNotification${n.name}`;
      const fn =
        n.function !== undefined ? buildFunction(this.ctx, name, n.function, {}, undefined, base) : undefined;
      this.ctx.topology.bucketNotifications.push({
        name,
        bucket,
        ...(fn ? { function: fn } : {}),
        ...(n.queue ? { queue: serialize(n.queue) } : {}),
        ...(n.topic ? { topic: serialize(n.topic) } : {}),
        events: n.events ?? ALL_OBJECT_EVENTS,
        ...(n.filterPrefix ? { filterPrefix: n.filterPrefix } : {}),
        ...(n.filterSuffix ? { filterSuffix: n.filterSuffix } : {}),
      });
    }
    return output({ name: base });
  }
  subscribe(subscriber: unknown, maybeArgs?: unknown) {
    const bucket = this[COMPONENT].name;
    if (this.notified) throw new Error(`Cannot subscribe to the "${bucket}" bucket multiple times.`);
    this.notified = true;
    const args = (unwrap(maybeArgs) ?? {}) as Args;
    // SST hashes the deployed bucket ARN here; locally the logical name stands in for it.
    const subName = `${bucket}Subscriber${logicalName(prettyHash(`arn:aws:s3:::${bucket}`, 6))}`;
    const fn = buildFunction(this.ctx, `${subName}Function`, subscriber, {}, undefined, subName);
    this.ctx.topology.bucketNotifications.push({
      name: subName,
      bucket,
      function: fn,
      events: args.events ?? ALL_OBJECT_EVENTS,
      ...(args.filterPrefix ? { filterPrefix: args.filterPrefix } : {}),
      ...(args.filterSuffix ? { filterSuffix: args.filterSuffix } : {}),
    });
    return output({ name: subName });
  }
}
