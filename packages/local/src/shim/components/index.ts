// Fake SST components that record what infra/*.ts declares instead of creating AWS resources.
import { ApiGatewayV2 } from "./api-gateway-v2";
import { ApiGatewayWebSocket } from "./api-gateway-websocket";
import { unknownApi } from "./args";
import { Bucket } from "./bucket";
import { CognitoUserPool } from "./cognito-user-pool";
import { CognitoUserPoolClient } from "./cognito-user-pool-client";
import { ALLOWED } from "./component";
import { type Args, createContext, type RecorderContext } from "./context";
import { Dynamo } from "./dynamo";
import { SstFunction } from "./function";
import { Linkable } from "./linkable";
import { OpenSearch } from "./open-search";
import { pulumiClass, transformer } from "./pulumi";
import { Queue } from "./queue";
import { Router } from "./router";
import { Secret } from "./secret";
import { SnsTopic } from "./sns-topic";
import { StaticSite } from "./static-site";

export { resolveHandler, unknownApi } from "./args";

type Recording = new (ctx: RecorderContext, ...args: any[]) => object;

/** The class infra calls `new` on: the component with this evaluation's context (its sstType is inherited). */
function bind(ctx: RecorderContext, C: Recording) {
  const Base = C as new (...args: unknown[]) => object;
  return class extends Base {
    constructor(...args: any[]) {
      super(ctx, ...args);
    }
  };
}

/** A namespace that fails loudly on members the shim does not know. */
const strict = (prefix: string, target: Record<string, unknown>) =>
  new Proxy(target, {
    get(t, prop) {
      if (typeof prop === "symbol" || prop in t || ALLOWED.has(prop)) return t[prop as string];
      throw unknownApi(`${prefix}.${prop}`);
    },
  });

/** Everything one evaluation of sst.config.ts records, plus the fake `sst` namespace that records it. */
export function createRecorder(root: string) {
  const ctx = createContext(root);
  const aws: Record<string, unknown> = {
    Function: bind(ctx, SstFunction),
    Dynamo: bind(ctx, Dynamo),
    Bucket: bind(ctx, Bucket),
    CognitoUserPool: bind(ctx, CognitoUserPool),
    CognitoUserPoolClient: bind(ctx, CognitoUserPoolClient),
    ApiGatewayV2: bind(ctx, ApiGatewayV2),
    ApiGatewayWebSocket: bind(ctx, ApiGatewayWebSocket),
    StaticSite: bind(ctx, StaticSite),
    Router: bind(ctx, Router),
    SnsTopic: bind(ctx, SnsTopic),
    Queue: bind(ctx, Queue),
    OpenSearch: bind(ctx, OpenSearch),
    // Recorded with the Linkable that includes it; nothing enforces IAM locally.
    permission: (input: Args) => ({ type: "aws.permission", ...input }),
  };
  const sst = strict("sst", {
    aws: strict("sst.aws", aws),
    Linkable: bind(ctx, Linkable),
    Secret: bind(ctx, Secret),
  });
  return {
    topology: ctx.topology,
    sst,
    $transform: transformer(ctx),
    pulumiClass: (module: string, resource: string) => pulumiClass(ctx, module, resource),
  };
}
