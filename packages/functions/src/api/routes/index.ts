import { follow, followers, following, unfollow } from "./follows";
import { createMe, getMe, updateMe } from "./me";
import { createUpload, getMedia, updateMedia } from "./media";
import {
  createPost,
  deletePost,
  editPost,
  getPost,
  getReplies,
  likePost,
  repostPost,
  unlikePost,
  unrepostPost,
} from "./posts";
import { chatRoutes } from "./rooms";
import { searchRoutes } from "./search";
import { health, openapi } from "./system";
import { homeTimeline, publicTimeline, tagPosts, userPosts } from "./timelines";
import { getUser } from "./users";

// Posting, follows and timelines.
const postRoutes = [
  createPost,
  editPost,
  deletePost,
  likePost,
  unlikePost,
  repostPost,
  unrepostPost,
  getPost,
  getReplies,
  homeTimeline,
  publicTimeline,
  userPosts,
  tagPosts,
  follow,
  unfollow,
  followers,
  following,
];

/** Every route of every Lambda, so the one OpenAPI document covers the whole API. */
export const allRoutes = [
  health,
  openapi,
  createMe,
  updateMe,
  getMe,
  getUser,
  createUpload,
  getMedia,
  updateMedia,
  ...chatRoutes,
  ...postRoutes,
  ...searchRoutes,
];
