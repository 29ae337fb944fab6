// sst.aws.ApiGatewayWebSocket: routes by route key, and the Lambda authorizer of $connect.
import type { WsRoute } from "../../topology";
import { logicalName, PULUMI_OUTPUT_TO_STRING, prettyHash } from "../naming";
import { COMPONENT, output, parseRef, refToken, unwrap } from "../output";
import { applyTransform, unknownApi } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";
import { buildFunction } from "./function";

export class ApiGatewayWebSocket extends Component {
  static override readonly sstType = "sst.aws.ApiGatewayWebSocket" as const;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.ApiGatewayWebSocket", name, args, opts);
    this.record({ url: this.ref("url"), managementEndpoint: this.ref("managementEndpoint") });
  }
  get url() {
    return this.ref("url");
  }
  get managementEndpoint() {
    return this.ref("managementEndpoint");
  }
  /** The API's id as a reference: only alarms and the dashboard read it, never a function. */
  get nodes() {
    return { api: { id: this.ref("apiId") } };
  }
  route(route: string, handler: unknown, args: Args = {}) {
    const api = this[COMPONENT].name;
    const special = ["$connect", "$disconnect", "$default"].includes(route);
    const suffix = logicalName(special ? route : prettyHash(`${PULUMI_OUTPUT_TO_STRING}${route}`, 6));
    const routeId = `${api}Route${suffix}`;
    const routeArgs = applyTransform(unwrap(this.args.transform)?.route?.args, routeId, { ...args });
    const fn = buildFunction(
      this.ctx,
      `${routeId}Handler`,
      handler,
      { description: `${api} route ${route}` },
      unwrap(this.args.transform)?.route?.handler,
      `${api}.route("${route}")`,
    );
    const auth = unwrap(routeArgs.auth) as Args | undefined;
    let recorded: WsRoute["auth"] = { type: "none" };
    // API Gateway only authorizes the $connect route of a WebSocket API.
    if (route === "$connect" && auth?.iam) recorded = { type: "iam" };
    else if (route === "$connect" && auth?.lambda) {
      const ref = parseRef(auth.lambda);
      if (!ref) throw new Error("auth.lambda must be the id of an authorizer from addAuthorizer");
      recorded = { type: "lambda", authorizer: ref.$ref };
    } else if (route === "$connect" && auth?.jwt) throw unknownApi("sst.aws.ApiGatewayWebSocket jwt auth");
    this.ctx.topology.wsRoutes.push({ api, route, function: fn, auth: recorded });
    // The route's id as a reference: infra waits for it (alarms), never a function.
    return { name: routeId, nodes: { route: { id: output(refToken(routeId, "id")) } } };
  }
  addAuthorizer(authName: string, args: Args) {
    const api = this[COMPONENT].name;
    const a = unwrap(args) as Args;
    const name = `${api}Authorizer${authName}`;
    if (!a.lambda) throw unknownApi("sst.aws.ApiGatewayWebSocket.addAuthorizer without lambda");
    const fn = buildFunction(this.ctx, `${name}Handler`, a.lambda.function, {}, undefined, name);
    this.ctx.topology.wsAuthorizers.push({
      api,
      name,
      authorizerName: authName,
      function: fn,
      identitySources: a.lambda.identitySources ?? ["route.request.header.Authorization"],
    });
    return {
      id: output(refToken(name, "id")),
      [COMPONENT]: { name, type: "sst.aws.ApiGatewayV2Authorizer" },
    };
  }
}
