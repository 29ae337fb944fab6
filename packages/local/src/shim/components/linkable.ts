// sst.Linkable: properties functions read through Resource.<name>.
import { output, unwrap } from "../output";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class Linkable extends Component {
  static override readonly sstType = "sst.Linkable" as const;
  constructor(ctx: RecorderContext, name: string, definition: Args) {
    super(ctx, "sst.Linkable", name, definition, {});
    this.record(unwrap(this.args.properties) ?? {});
  }
  get properties() {
    return output(this.args.properties);
  }
}
