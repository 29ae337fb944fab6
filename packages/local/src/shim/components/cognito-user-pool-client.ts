// sst.aws.CognitoUserPoolClient: recorded under the pool it belongs to.
import { parseRef } from "../output";
import { recordTransforms } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class CognitoUserPoolClient extends Component {
  static override readonly sstType = "sst.aws.CognitoUserPoolClient" as const;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args) {
    super(ctx, "sst.aws.CognitoUserPoolClient", name, args, opts);
    const pool = parseRef(this.args.userPool);
    this.record({ id: this.ref("id"), secret: this.ref("secret") }, {
      parent: pool?.$ref,
      transformed: recordTransforms(this.args),
    } as Args);
  }
  get id() {
    return this.ref("id");
  }
  get secret() {
    return this.ref("secret");
  }
}
