import { PUSH_SECRETS } from "../packages/core/src/push/names";

// Web Push (VAPID, RFC 8292): the stage's key pair, set once per stage with `sst secret set` (see
// docs/architecture.md); the local cloud generates its own into the data dir.
export const vapidPublicKey = new sst.Secret(PUSH_SECRETS.publicKey);
const vapidPrivateKey = new sst.Secret(PUSH_SECRETS.privateKey);
// Push services reachable over plain http or on a private host: none in AWS (the empty placeholder); the local
// cloud puts its own push service here. A setting, so the sender never asks which world it runs in.
const insecureOrigins = new sst.Secret(PUSH_SECRETS.insecureOrigins, "");

/** What the sender reads as `Resource.Push`: linked only to the functions that subscribe browsers or push. */
export const pushLink = new sst.Linkable("Push", {
  properties: {
    publicKey: vapidPublicKey.value,
    privateKey: vapidPrivateKey.value,
    // The contact a push service may write to about this sender (RFC 8292 `sub`).
    subject: process.env.ASYNCSNS_VAPID_SUBJECT ?? "mailto:webpush@asyncsns.example",
    insecureOrigins: insecureOrigins.value,
  },
});
