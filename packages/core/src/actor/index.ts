import { AsyncLocalStorage } from "node:async_hooks";
import { VisibleError } from "../error";

export type Actor = { type: "user"; properties: { userId: string } } | { type: "public"; properties: object };

const storage = new AsyncLocalStorage<Actor>();

export function withActor<T>(actor: Actor, cb: () => T): T {
  return storage.run(actor, cb);
}

export function useActor(): Actor {
  return storage.getStore() ?? { type: "public", properties: {} };
}

/** The signed-in caller's id (their Cognito `sub`); use cases read it instead of taking it as an argument. */
export function useUserId(): string {
  const actor = useActor();
  if (actor.type !== "user") throw new VisibleError("unauthorized", "auth.required", "Sign in to do this.");
  return actor.properties.userId;
}
