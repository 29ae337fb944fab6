// Who may touch the account (infra/access.ts): developers under a permissions boundary that denies production,
// and production deployed only by CI through GitHub's OIDC, in the production environment.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appGraph, repoRoot } from "./harness/index";

/** infra/access.ts names it so the boundary can require itself on every role created under it. */
const BOUNDARY_NAME = "asyncsns-developer-boundary";

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string>>;
};

describe("access (production)", () => {
  const graph = appGraph("production");

  it("a developer boundary: Allow * is only the ceiling; production's resources, the boundary and the deploy role are denied (IAM User Guide, Permissions boundaries for IAM entities, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)", () => {
    const policy = graph.findOne("aws:iam/policy:Policy", (i) => i.name === BOUNDARY_NAME);
    const doc = JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] };
    expect(doc.Statement.find((st) => st.Effect === "Allow")).toEqual({
      Sid: "Ceiling",
      Effect: "Allow",
      Action: "*",
      Resource: "*",
    });
    expect(doc.Statement.filter((st) => st.Effect === "Allow")).toHaveLength(1);
    const denied = (sid: string) => doc.Statement.find((s) => s.Sid === sid);
    // Every data store the app has is named in the production deny.
    const resources = [denied("NotProduction")!.Resource ?? []].flat();
    for (const service of ["dynamodb", "s3", "lambda", "sqs", "sns", "es", "logs", "iam"])
      expect(resources.some((r) => r.startsWith(`arn:aws:${service}:`))).toBe(true);
    expect(resources.every((r) => r.includes("asyncsns-production-") || r.includes("domain/"))).toBe(true);
    expect(denied("NotProduction")!.Effect).toBe("Deny");
    // Roles a personal stage creates must carry the boundary; nobody under it may remove it.
    expect(denied("RolesCarryTheBoundary")).toMatchObject({
      Effect: "Deny",
      Condition: { ArnNotLike: { "iam:PermissionsBoundary": `arn:aws:iam::*:policy/${BOUNDARY_NAME}` } },
    });
    expect([denied("KeepTheBoundary")!.Action].flat()).toContain("iam:DeleteRolePermissionsBoundary");
    expect(denied("NotTheDeployRole")).toMatchObject({ Effect: "Deny", Action: "sts:AssumeRole*" });
  });

  it("production deploys only from CI: GitHub's OIDC provider, a role only this repository's production environment may assume (IAM User Guide, Configuring a role for GitHub OIDC identity provider, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub)", () => {
    const provider = graph.findOne("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(provider.inputs.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
    const role = graph.findOne("aws:iam/role:Role", (i) => i.name === "asyncsns-production-deploy");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: Statement[] };
    expect(trust.Statement).toHaveLength(1);
    const [only] = trust.Statement;
    expect(only).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity" });
    expect(only!.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        // The environment, not a branch pattern: its protection rules decide who may release.
        "token.actions.githubusercontent.com:sub": expect.stringMatching(
          /^repo:[^:*]+\/[^:*]+:environment:production$/,
        ),
      },
    });
    expect(JSON.stringify(trust)).not.toContain("*");
  });

  it("the deploy workflow runs on main in the production environment with OIDC, and deploys only production", () => {
    const workflow = readFileSync(path.join(repoRoot, ".github/workflows/deploy-production.yml"), "utf8");
    expect(workflow).toMatch(/branches: \[main\]/);
    expect(workflow).toMatch(/environment: production/);
    expect(workflow).toMatch(/id-token: write/);
    expect(workflow).toMatch(/npm test/);
    expect(workflow.match(/sst deploy[^\n]*/g)).toEqual(["sst deploy --stage production"]);
  });
});

describe("access (personal stage dev-ci)", () => {
  const graph = appGraph("dev-ci");
  it("makes none of it: the boundary and the deploy role are account-level, made once by production", () => {
    expect(graph.findAll("aws:iam/policy:Policy", (i) => i.name === BOUNDARY_NAME)).toEqual([]);
    expect(graph.findAll("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toEqual([]);
  });
});
