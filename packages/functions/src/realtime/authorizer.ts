import { Auth } from "@asyncsns/core/auth";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";

// WebSocket APIs accept only IAM-policy answers from a Lambda authorizer; the context reaches $connect.
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  const claims = token ? await Auth.verifyAccessToken(token).catch(() => undefined) : undefined;
  return {
    principalId: claims?.sub ?? "anonymous",
    policyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Action: "execute-api:Invoke", Effect: claims ? "Allow" : "Deny", Resource: event.methodArn },
      ],
    },
    // $connect stores the expiry (sockets close when it passes) and checks the issue time against a sign-out.
    context: claims ? { userId: claims.sub, expiresAt: claims.exp, issuedAt: claims.iat } : {},
  };
}
