// The JSON an evaluation produces: every resource the real SST components registered under Pulumi's mocks.

export interface MockedResource {
  /** Pulumi type token, e.g. `aws:lambda/function:Function` or `sst:aws:Function`. */
  type: string;
  /** Logical (Pulumi) name, e.g. `ProfileFunction`. */
  name: string;
  /** Inputs as the provider would receive them (plain JSON; assets become `{asset|archive: path}`). */
  inputs: Record<string, unknown>;
  /** Outputs the mock gave back (id, arn, ...), so references between resources can be followed. */
  outputs: Record<string, unknown>;
  id: string;
  /** True for provider resources, false for components (`sst:aws:*`). */
  custom: boolean;
  /** The parent's `type::name`, when the resource was created inside a component. */
  parent?: string;
  retainOnDelete?: boolean;
  /** The logical name of an explicit provider (e.g. one pinned to us-east-1), when one was given. */
  provider?: string;
  protect?: boolean;
}

/** What SST asked its CLI to bundle for one `sst.aws.Function` (the `Runtime.Build` RPC). */
export interface FunctionBuild {
  /** The `sst.aws.Function` component name, e.g. `Profile`. */
  functionID: string;
  /** e.g. `packages/functions/src/api/profile.handler` */
  handler: string;
  /** Names of the linked resources (what `Resource.<Name>` resolves in this function). */
  links: string[];
  /** `nodejs.install`: packages SST installs with npm at deploy instead of bundling. */
  install?: string[];
}

export interface MockedCall {
  token: string;
  inputs: Record<string, unknown>;
}

export interface EvaluatedApp {
  config: string;
  stage: string;
  app: { name: string; stage: string; removal: string; protect: boolean; home: string };
  resources: MockedResource[];
  builds: FunctionBuild[];
  calls: MockedCall[];
  /** The outputs `run()` returned. */
  outputs: Record<string, unknown>;
  /** RPC methods the stub CLI did not know (evaluation still went on). */
  unknownRpc: string[];
  /** Pulumi outputs still unresolved when the evaluation was taken (should be 0). */
  pendingPromises: number;
  elapsedMs: number;
}
