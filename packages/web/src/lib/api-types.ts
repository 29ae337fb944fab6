// Names for the API's shapes, all derived from the generated OpenAPI types so none is declared twice.
import type { components, paths } from "./api-schema";

type Schemas = components["schemas"];

/** The JSON body a path and method take. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** The query a path's GET takes. */
export type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

export type Profile = Schemas["Profile"];
export type PublicProfile = Schemas["PublicProfile"];
export type ListedProfile = Schemas["ListedProfile"];
export type ProfilePage = Schemas["ProfilePage"];
export type UserCard = Schemas["UserCard"];
export type MutedWord = Schemas["MutedWord"];

export type Media = Schemas["Media"];
export type MediaKind = Media["kind"];
export type MediaUpload = Schemas["MediaUpload"];
export type MediaUploadRequest = Schemas["MediaUploadRequest"];

export type Post = Schemas["Post"];
export type DeletedPost = Schemas["DeletedPost"];
export type PostPage = Schemas["PostPage"];
export type Thread = Schemas["Thread"];

export type PostHit = Schemas["PostHit"];

export type Room = Schemas["Room"];
export type Member = Room["members"][number];
export type Role = Member["role"];
export type Message = Schemas["Message"];
