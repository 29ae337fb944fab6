// sst.aws.OpenSearch: locally its url points at the search stand-in.
import { unknownApi } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class OpenSearch extends Component {
  static override readonly sstType = "sst.aws.OpenSearch" as const;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.OpenSearch", name, args, opts);
    this.record({ url: this.ref("url"), username: this.ref("username"), password: this.ref("password") });
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
  get nodes(): never {
    throw unknownApi("sst.aws.OpenSearch.nodes");
  }
}
