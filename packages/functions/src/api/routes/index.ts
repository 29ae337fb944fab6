import { createMe, getMe, updateMe } from "./me";
import { createUpload, getMedia } from "./media";
import { chatRoutes } from "./rooms";
import { health, openapi } from "./system";
import { getUser } from "./users";

/** Every route of every Lambda, so the one OpenAPI document covers the whole API. */
export const allRoutes = [health, openapi, createMe, updateMe, getMe, getUser, createUpload, getMedia, ...chatRoutes];
