// sst.aws.OpenSearch: locally its url points at the search stand-in, which checks SigV4 as the domain does.
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class OpenSearch extends Component {
  static override readonly sstType = "sst.aws.OpenSearch" as const;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.OpenSearch", name, args, opts);
    // The link holds only the URL: access is IAM (SigV4), no internal user or password.
    this.record({ url: this.ref("url") });
  }
  get url() {
    return this.ref("url");
  }
  get username() {
    return this.ref("username");
  }
  get password() {
    return this.ref("password");
  }
  /** The domain's name and ARN as references: only alarms and the dashboard read them, never a function. */
  get nodes() {
    return { domain: { domainName: this.ref("domainName"), arn: this.ref("domainArn") } };
  }
}
