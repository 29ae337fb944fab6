// Moderation (infra/moderation.ts): the Cognito group the API reads from tokens, and a function that may suspend,
// lift and sign out users of this pool only, behind the JWT authorizer on every route.
import { describe, expect, it } from "vitest";
import { MODERATORS } from "../../packages/core/src/moderation/group";
import { appGraph } from "./harness/index";

const MODERATION = "packages/functions/src/api/moderation.handler";
const QUERY = "packages/functions/src/api/query.handler";
const ROUTES = [
  "POST /api/reports",
  "GET /api/admin/reports",
  "POST /api/admin/reports/{id}/resolve",
  "POST /api/admin/users/{handle}/unsuspend",
  "GET /api/admin/audit",
];

for (const stage of ["dev-ci", "production"] as const) {
  const graph = appGraph(stage);
  const fn = graph.functions().find((f) => f.handler === MODERATION)!;
  const pool = graph.findOne("aws:cognito/userPool:UserPool");

  describe(`moderation (${stage})`, () => {
    it("Cognito: one group `moderators` on the app's user pool, whose name the API checks in `cognito:groups` (Amazon Cognito Developer Guide, Adding groups to a user pool, https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html)", () => {
      const groups = graph.findAll("aws:cognito/userGroup:UserGroup");
      expect(groups).toHaveLength(1);
      expect(groups[0]!.inputs.name).toBe(MODERATORS);
      expect(groups[0]!.inputs.userPoolId).toBe(pool.outputs.id);
      // A group without a role: membership is read from the token, it grants no AWS credentials.
      expect(groups[0]!.inputs.roleArn).toBeUndefined();
    });

    it("IAM: AdminDisableUser, AdminEnableUser and AdminUserGlobalSignOut, on this pool's ARN only (Service Authorization Reference, Actions, resources, and condition keys for Amazon Cognito User Pools, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html)", () => {
      const grants = graph
        .policiesOf(fn)
        .filter((st) => [st.Action].flat().some((a) => String(a).startsWith("cognito-idp:")))
        .map((st) => ({ actions: [st.Action].flat().sort(), resources: [st.Resource].flat() }));
      expect(grants).toEqual([
        {
          actions: [
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminUserGlobalSignOut",
          ],
          resources: [pool.outputs.arn],
        },
      ]);
      // Group membership is changed by `npm run admin` with an operator's credentials, never by a function.
      const groupAdmins = graph
        .functions()
        .flatMap((f) => graph.policiesOf(f))
        .flatMap((st) => [st.Action].flat().map(String))
        .filter((a) => /^cognito-idp:(AdminAddUserToGroup|AdminRemoveUserFromGroup|\*)$/.test(a));
      expect(groupAdmins).toEqual([]);
    });

    it("API Gateway: every moderation route behind the Cognito JWT authorizer; commands to the Moderation Lambda, the queue and the audit log to the Query Lambda (the group check is the Lambdas' own; Amazon API Gateway Developer Guide, Controlling access to HTTP APIs with JWT authorizers, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html)", () => {
      for (const key of ROUTES) {
        const route = graph.routeFor(key);
        expect(route.route.inputs.authorizationType, key).toBe("JWT");
        expect(route.authorizer, key).toBeDefined();
        expect(route.fn?.handler, key).toBe(key.startsWith("GET ") ? QUERY : MODERATION);
      }
    });

    it("links: the table, the bucket (removed posts' files), the WebSocket API (closing sockets, telling rooms), the pool's ids and the limits", () => {
      expect(fn.links.sort()).toEqual(["Auth", "Limits", "Media", "Realtime", "Table"].sort());
    });
  });
}
