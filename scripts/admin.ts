// npm run admin -- grant|revoke <email> [--stage <stage>] | list [--stage <stage>]: who is a moderator.
// The local cloud's Cognito (from .asyncsns/local.json) or a deployed stage's pool (from .sst/outputs.json); the
// change shows in the user's next token (a refresh or a new sign-in), as in Cognito.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { MODERATORS } from "../packages/core/src/moderation/group";

const USAGE = "usage: npm run admin -- grant <email> | revoke <email> | list [--stage <stage>]";

const args = process.argv.slice(2);
const stageAt = args.indexOf("--stage");
const stage = stageAt >= 0 ? args[stageAt + 1] : undefined;
const [command, email] = args.filter((_, i) => stageAt < 0 || (i !== stageAt && i !== stageAt + 1));
const root = process.env.ASYNCSNS_ROOT ?? process.cwd();

/** The pool and a client for it: the running local cloud's stand-in, or a deployed stage's pool. */
function target(): { userPoolId: string; client: CognitoIdentityProviderClient } {
  if (stage) {
    const file = resolve(root, ".sst/outputs.json");
    if (!existsSync(file))
      throw new Error(`no ${file}: deploy the stage (npx sst deploy --stage ${stage}) first`);
    const outputs = JSON.parse(readFileSync(file, "utf8"));
    if (outputs.stage && outputs.stage !== stage) throw new Error(`${file} is for stage ${outputs.stage}`);
    if (typeof outputs.userPool !== "string") throw new Error(`${file} names no userPool`);
    return {
      userPoolId: outputs.userPool,
      client: new CognitoIdentityProviderClient({ region: process.env.AWS_REGION ?? "ap-northeast-1" }),
    };
  }
  const file = resolve(root, process.env.ASYNCSNS_DATA_DIR || ".asyncsns", "local.json");
  if (!existsSync(file)) throw new Error(`no ${file}: start the local cloud (npm start) or pass --stage`);
  const { cognito } = JSON.parse(readFileSync(file, "utf8"));
  return {
    userPoolId: cognito.userPoolId,
    // cognito-local takes any key pair.
    client: new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: cognito.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  };
}

async function main(): Promise<number> {
  if (!["grant", "revoke", "list"].includes(command ?? "") || (command !== "list" && !email)) {
    console.error(USAGE);
    return 2;
  }
  const { userPoolId, client } = target();
  const where = stage ? `stage ${stage}` : "the local cloud";
  if (command === "list") {
    const { Users = [] } = await client.send(
      new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: MODERATORS }),
    );
    for (const user of Users)
      console.log(user.Attributes?.find((a) => a.Name === "email")?.Value ?? user.Username);
    return 0;
  }
  // A pool whose usernames are emails takes the email as the Username of its admin actions.
  const input = { UserPoolId: userPoolId, Username: email, GroupName: MODERATORS };
  await client.send(
    command === "grant" ? new AdminAddUserToGroupCommand(input) : new AdminRemoveUserFromGroupCommand(input),
  );
  console.log(
    command === "grant"
      ? `${email} is a moderator on ${where}; it shows in their next token (refresh or sign in again)`
      : `${email} is no longer a moderator on ${where}; their current token keeps the claim until it expires`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[admin] ${error.name}: ${error.message}`);
    process.exit(1);
  },
);
