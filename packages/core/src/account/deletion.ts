import {
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Resource } from "sst";
import { useUserId } from "../actor";
import { VisibleError } from "../error";
import { Realtime } from "../realtime";
import { traced } from "../trace";
import { UserEntity } from "../user/user.entity";
import { DeletionEntity } from "./account.entity";
import { FRESH_AUTH_SECONDS } from "./index";

// Endpoints come from the environment (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER / _SQS point at stand-ins off AWS).
const cognito = traced(new CognitoIdentityProviderClient({}));
const sqs = traced(new SQSClient({}));

const stale = () =>
  new VisibleError(
    "forbidden",
    "account.reauthenticate",
    "Enter your password again: deleting an account needs a sign-in from the last few minutes.",
  );

/**
 * Starts deleting the caller's account: the Cognito user is disabled and signed out everywhere first, so nothing new
 * can be written with a refreshed token, then the sweeper removes the rest. Needs an access token from a sign-in of
 * the last FRESH_AUTH_SECONDS (the UI signs in again with the password): the password itself never reaches the API.
 */
export async function requestDeletion(input: { authTime?: number; now?: number }): Promise<void> {
  const userId = useUserId();
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  if (!input.authTime || now - input.authTime > FRESH_AUTH_SECONDS) throw stale();
  const user = await UserEntity.get({ userId }).go();
  await DeletionEntity.put({ userId, handle: user.data?.handle }).go();
  // The user pool's username of an email-username pool is the sub.
  await cognito.send(new AdminDisableUserCommand({ UserPoolId: Resource.Auth.userPoolId, Username: userId }));
  await cognito.send(
    new AdminUserGlobalSignOutCommand({ UserPoolId: Resource.Auth.userPoolId, Username: userId }),
  );
  await Realtime.signOut();
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: Resource.AccountDeletions.url,
      MessageBody: JSON.stringify({ userId }),
    }),
  );
}
