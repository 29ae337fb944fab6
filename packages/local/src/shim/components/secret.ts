// sst.Secret: its value comes from the environment locally (see resolve.ts).
import { unwrap } from "../output";
import { Component } from "./component";
import type { RecorderContext } from "./context";

export class Secret extends Component {
  static override readonly sstType = "sst.Secret" as const;
  constructor(ctx: RecorderContext, name: string, placeholder?: unknown) {
    super(ctx, "sst.Secret", name, { placeholder: unwrap(placeholder) }, {});
    this.record({ value: this.ref("value") });
  }
  get value() {
    return this.ref("value");
  }
}
