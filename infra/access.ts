// Who may touch the AWS account (docs/en/qa.md "Who may touch what"). Account-level, so made once, by the
// production stage: developers deploy personal stages under a permissions boundary that keeps production out of
// their reach, and production itself is deployed only by CI, from the main branch, through GitHub's OIDC.

/** The app's own prefix: SST names a stage's resources `<app>-<stage>-…`. */
const PRODUCTION = `${$app.name}-production-`;
/** The boundary's name, fixed so the boundary can require itself on every role a developer creates. */
export const BOUNDARY_NAME = `${$app.name}-developer-boundary`;
/** The repository whose workflow may deploy production (owner/name), set when deploying production. */
export const CI_REPOSITORY = process.env.ASYNCSNS_GITHUB_REPOSITORY ?? "asyncsns/asyncsns";
/** The GitHub environment the deploy job runs in; its protection rules say who may approve a release. */
export const CI_ENVIRONMENT = "production";
const GITHUB_OIDC = "token.actions.githubusercontent.com";

/**
 * The ceiling of what a developer (or a role they create) may do. A permissions boundary never grants anything
 * itself: the Allow is the ceiling, the Denies are what it enforces. "Permissions boundaries for IAM entities",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function boundaryDocument() {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Ceiling", Effect: "Allow", Action: "*", Resource: "*" },
      {
        // Production's data and code: its table, buckets, functions, queues, topics, search domain and logs.
        Sid: "NotProduction",
        Effect: "Deny",
        Action: "*",
        Resource: [
          `arn:aws:dynamodb:*:*:table/${PRODUCTION}*`,
          `arn:aws:s3:::${PRODUCTION}*`,
          `arn:aws:s3:::${PRODUCTION}*/*`,
          `arn:aws:lambda:*:*:function:${PRODUCTION}*`,
          `arn:aws:sqs:*:*:${PRODUCTION}*`,
          `arn:aws:sns:*:*:${PRODUCTION}*`,
          `arn:aws:es:*:*:domain/${PRODUCTION.slice(0, 20)}*`,
          `arn:aws:logs:*:*:log-group:/aws/lambda/${PRODUCTION}*`,
          `arn:aws:iam::*:role/${PRODUCTION}*`,
        ],
      },
      {
        // Nobody under the boundary may lift it, from themselves or a role.
        Sid: "KeepTheBoundary",
        Effect: "Deny",
        Action: [
          "iam:DeleteRolePermissionsBoundary",
          "iam:DeleteUserPermissionsBoundary",
          "iam:CreatePolicyVersion",
          "iam:SetDefaultPolicyVersion",
          "iam:DeletePolicy",
        ],
        Resource: "*",
        Condition: { ArnLike: { "iam:PolicyARN": `arn:aws:iam::*:policy/${BOUNDARY_NAME}` } },
      },
      {
        // A role a developer's stage creates (every function's) carries the same boundary, or is refused.
        Sid: "RolesCarryTheBoundary",
        Effect: "Deny",
        Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        Resource: "*",
        Condition: { ArnNotLike: { "iam:PermissionsBoundary": `arn:aws:iam::*:policy/${BOUNDARY_NAME}` } },
      },
      {
        // Nor may they assume the production deploy role.
        Sid: "NotTheDeployRole",
        Effect: "Deny",
        Action: "sts:AssumeRole*",
        Resource: `arn:aws:iam::*:role/${$app.name}-production-deploy`,
      },
    ],
  };
}

/**
 * Who may assume the production deploy role: only a GitHub Actions job of this repository running in its
 * `production` environment. "Configuring a role for GitHub OIDC identity provider",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export function deployTrust(providerArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC}:aud`]: "sts.amazonaws.com",
            [`${GITHUB_OIDC}:sub`]: `repo:${CI_REPOSITORY}:environment:${CI_ENVIRONMENT}`,
          },
        },
      },
    ],
  };
}

export const access =
  $app.stage === "production"
    ? (() => {
        const boundary = new aws.iam.Policy("DeveloperBoundary", {
          name: BOUNDARY_NAME,
          description: "asyncsns: the ceiling for developers and the roles their personal stages create",
          policy: JSON.stringify(boundaryDocument()),
        });
        // GitHub's OIDC issuer; AWS trusts its certificate authority, so no thumbprint is pinned.
        const github = new aws.iam.OpenIdConnectProvider("GithubActions", {
          url: `https://${GITHUB_OIDC}`,
          clientIdLists: ["sts.amazonaws.com"],
        });
        const deploy = new aws.iam.Role("ProductionDeploy", {
          name: `${$app.name}-production-deploy`,
          description: "asyncsns: `sst deploy --stage production`, from CI only",
          assumeRolePolicy: github.arn.apply((arn) => JSON.stringify(deployTrust(arn))),
          // A deploy creates and changes resources of every kind the app uses, IAM roles included.
          managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
          maxSessionDuration: 3600,
        });
        return { boundary, github, deploy };
      })()
    : undefined;
