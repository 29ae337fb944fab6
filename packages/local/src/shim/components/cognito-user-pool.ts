// sst.aws.CognitoUserPool: the pool, and clients added to it.
import { recordTransforms, unknownApi } from "./args";
import { CognitoUserPoolClient } from "./cognito-user-pool-client";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class CognitoUserPool extends Component {
  static override readonly sstType = "sst.aws.CognitoUserPool" as const;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args) {
    super(ctx, "sst.aws.CognitoUserPool", name, args, opts);
    if (this.args.triggers) throw unknownApi("sst.aws.CognitoUserPool triggers");
    this.record({ id: this.ref("id") }, { transformed: recordTransforms(this.args) });
  }
  get id() {
    return this.ref("id");
  }
  get arn() {
    return this.ref("arn");
  }
  addClient(name: string, args?: Args) {
    return new CognitoUserPoolClient(this.ctx, name, { userPool: this.id, ...args });
  }
}
