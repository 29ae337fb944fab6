// sst.aws.ApiGatewayV2: routes by route key with their auth, and JWT or Lambda authorizers.
import type { HttpAuth, Value } from "../../topology";
import { logicalName, PULUMI_OUTPUT_TO_STRING, prettyHash } from "../naming";
import { COMPONENT, output, parseRef, refToken, serialize, unwrap } from "../output";
import { applyTransform, unknownApi } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";
import { buildFunction } from "./function";

const METHODS = ["ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

function parseHttpRouteKey(raw: string): string {
  if (raw.toLowerCase() === "$default") return "$default";
  const parts = raw.split(" ");
  if (parts.length !== 2)
    throw new Error(`Invalid route ${raw}. A route must be in the format "METHOD /path".`);
  const method = parts[0]!.toUpperCase();
  const path = parts[1]!;
  if (!METHODS.includes(method)) throw new Error(`Invalid method ${parts[0]} in route ${raw}`);
  if (!path.startsWith("/"))
    throw new Error(`Invalid path ${path} in route ${raw}. Path must start with "/".`);
  return `${method} ${path}`;
}

function parseHttpAuth(args: Args): HttpAuth {
  const auth = unwrap(args.auth) as Args | undefined;
  if (!auth) return { type: "none" };
  if (auth.iam) return { type: "iam" };
  if (auth.jwt) {
    const ref = parseRef(auth.jwt.authorizer);
    if (!ref) throw new Error("auth.jwt.authorizer must be the id of an authorizer from addAuthorizer");
    return { type: "jwt", authorizer: ref.$ref, ...(auth.jwt.scopes ? { scopes: auth.jwt.scopes } : {}) };
  }
  if (auth.lambda) throw unknownApi("sst.aws.ApiGatewayV2 lambda authorizers");
  return { type: "none" };
}

export class ApiGatewayV2 extends Component {
  static override readonly sstType = "sst.aws.ApiGatewayV2" as const;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args) {
    super(ctx, "sst.aws.ApiGatewayV2", name, args, opts);
    // The stage transform's intent (e.g. throttling) is recorded for the gateway; routes are recorded per route.
    const stage = unwrap(this.args.transform)?.stage;
    this.record(
      { url: this.ref("url") },
      stage ? { transformed: { stage: serialize(applyTransform(stage, "stage", {})) } } : {},
    );
  }
  get url() {
    return this.ref("url");
  }
  /** The API's id as a reference: only alarms and the dashboard read it, never a function. */
  get nodes() {
    return { api: { id: this.ref("apiId") } };
  }
  route(rawRoute: string, handler: unknown, args: Args = {}) {
    const api = this[COMPONENT].name;
    const routeKey = parseHttpRouteKey(rawRoute);
    const routeId = `${api}Route${logicalName(prettyHash(PULUMI_OUTPUT_TO_STRING + routeKey, 6))}`;
    const routeArgs = applyTransform(unwrap(this.args.transform)?.route?.args, routeId, { ...args });
    const fn = buildFunction(
      this.ctx,
      `${routeId}Handler`,
      handler,
      { description: `${api} route ${routeKey}`, link: this.args.link },
      unwrap(this.args.transform)?.route?.handler,
      `${api}.route("${routeKey}")`,
    );
    this.ctx.topology.httpRoutes.push({ api, routeKey, function: fn, auth: parseHttpAuth(routeArgs) });
    return output({ name: routeId });
  }
  addAuthorizer(args: Args) {
    const api = this[COMPONENT].name;
    const a = unwrap(args) as Args;
    const name = `${api}Authorizer${logicalName(a.name)}`;
    if (a.jwt) {
      this.ctx.topology.httpAuthorizers.push({
        api,
        name,
        authorizerName: a.name,
        type: "jwt",
        issuer: serialize(a.jwt.issuer),
        audiences: serialize(a.jwt.audiences ?? []) as Value[],
        identitySource: a.jwt.identitySource ?? "$request.header.Authorization",
      });
    } else if (a.lambda) {
      const fn = buildFunction(this.ctx, `${name}Handler`, a.lambda.function, {}, undefined, name);
      this.ctx.topology.httpAuthorizers.push({
        api,
        name,
        authorizerName: a.name,
        type: "lambda",
        function: fn,
      });
    } else throw new Error(`Please provide one of "lambda" or "jwt" for the ${a.name} authorizer.`);
    return {
      id: output(refToken(name, "id")),
      [COMPONENT]: { name, type: "sst.aws.ApiGatewayV2Authorizer" },
    };
  }
}
