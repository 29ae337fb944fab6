import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { useUserId } from "../actor";
import { VisibleError } from "../error";
import { FollowEntity } from "../follow/follow.entity";
import { createId } from "../id";
import { MediaEntity } from "../media/media.entity";
import { bucket, s3 } from "../media/storage";
import { PostEntity } from "../post/post.entity";
import { UserEntity } from "../user/user.entity";
import { ExportEntity } from "./account.entity";
import { EXPORT_URL_SECONDS, ExportId, type ExportInfo, exportPrefix } from "./index";

// Reading and building exports: the bucket and the table only (the Query Lambda and the exporter).

const exportNotFound = () => new VisibleError("not-found", "export.not_found", "This export does not exist.");

/** An export of the caller's; once ready, a link that needs no sign-in and expires in EXPORT_URL_SECONDS. */
export const exportStatus = async (input: { id: string }): Promise<ExportInfo> => {
  const userId = useUserId();
  const parsed = ExportId.safeParse(input.id);
  if (!parsed.success) throw exportNotFound();
  const { data } = await ExportEntity.get({ userId, exportId: parsed.data }).go();
  if (!data) throw exportNotFound();
  if (data.status !== "ready" || !data.key) return { id: data.exportId, status: data.status };
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket(), Key: data.key }), {
    expiresIn: EXPORT_URL_SECONDS,
  });
  return {
    id: data.exportId,
    status: "ready",
    url,
    expiresAt: new Date(Date.now() + EXPORT_URL_SECONDS * 1000).toISOString(),
  };
};

/** Builds one archive: profile, posts, follows both ways, media links. Rebuilding overwrites the same key. */
export async function buildExport(userId: string, exportId: string): Promise<void> {
  const { data: job } = await ExportEntity.get({ userId, exportId }).go();
  if (!job || job.status === "ready") return;
  const [{ data: user }, postItems, followingItems, followerItems, mediaItems] = await Promise.all([
    UserEntity.get({ userId }).go(),
    PostEntity.query.byAuthor({ authorId: userId }).go({ pages: "all" }),
    FollowEntity.query.byFollower({ followerId: userId }).go({ pages: "all" }),
    FollowEntity.query.byFollowee({ followeeId: userId }).go({ pages: "all" }),
    MediaEntity.query.byOwner({ ownerId: userId }).go({ pages: "all" }),
  ]);
  const handles = async (ids: string[]) => {
    // A batch get refuses duplicate keys: someone followed both ways is one read.
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map<string, string>();
    const { data } = await UserEntity.get(unique.map((id) => ({ userId: id }))).go();
    return new Map(data.map((u) => [u.userId, u.handle]));
  };
  const names = await handles([
    ...followingItems.data.map((f) => f.followeeId),
    ...followerItems.data.map((f) => f.followerId),
  ]);
  const archive = {
    exportedAt: new Date().toISOString(),
    profile: user
      ? {
          id: user.userId,
          handle: user.handle,
          displayName: user.displayName,
          bio: user.bio,
          createdAt: new Date(user.createdAt).toISOString(),
        }
      : null,
    posts: postItems.data
      .filter((p) => !p.deletedAt)
      .map((p) => ({
        id: p.postId,
        text: p.text,
        replyTo: p.replyTo ?? null,
        mediaIds: p.mediaIds,
        createdAt: new Date(p.createdAt).toISOString(),
      })),
    following: followingItems.data.map((f) => ({
      id: f.followeeId,
      handle: names.get(f.followeeId) ?? null,
    })),
    followers: followerItems.data.map((f) => ({ id: f.followerId, handle: names.get(f.followerId) ?? null })),
    media: mediaItems.data
      .filter((m) => !m.deletedAt && m.publicKey)
      .map((m) => ({
        id: m.mediaId,
        kind: m.kind,
        url: `/media/${String(m.publicKey).replace(/^public\//, "")}`,
      })),
  };
  // An unguessable key under a prefix the CDN never serves: only a presigned GET reads it.
  const key = `${exportPrefix(userId)}${exportId}-${createId("key").slice(4)}.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: key,
      Body: JSON.stringify(archive, null, 2),
      ContentType: "application/json",
      ContentDisposition: `attachment; filename="asyncsns-${exportId}.json"`,
    }),
  );
  await ExportEntity.patch({ userId, exportId }).set({ status: "ready", key, readyAt: Date.now() }).go();
}

/** The last receive failed too: the export shows as failed (the message waits in the dead-letter queue). */
export async function failExport(userId: string, exportId: string): Promise<void> {
  await ExportEntity.patch({ userId, exportId })
    .set({ status: "failed" })
    .where((a, op) => op.ne(a.status, "ready"))
    .go()
    .catch(() => undefined);
}
