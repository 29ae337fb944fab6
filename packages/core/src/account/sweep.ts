import {
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Resource } from "sst";
import { CallActiveEntity, CallEntity, CallLogEntity } from "../call/call.entity";
import { ChatReactionEntity } from "../chat/reaction.entity";
import { COUNTER } from "../chat/reaction-counts";
import { DirectEntity, MembershipEntity, MessageEntity, RoomEntity } from "../chat/room.entity";
import { ConnectionEntity, SignOutEntity } from "../connection/connection.entity";
import { transact } from "../dynamo/service";
import { FollowEntity } from "../follow/follow.entity";
import { LimitEntity } from "../limit/limit.entity";
import { release } from "../media";
import { MediaEntity } from "../media/media.entity";
import { bucket, s3 } from "../media/storage";
import { CaseEntity, ReportEntity } from "../moderation/moderation.entity";
import { actorOrder } from "../notification/keys";
import {
  NotificationActorEntity,
  NotificationMarkEntity,
  NotificationMemberEntity,
  NotificationPreferencesEntity,
  NotificationRowEntity,
  NotificationSlotEntity,
  NotificationStateEntity,
} from "../notification/notification.entity";
import { LikeEntity, PostEntity, RepostEntity } from "../post/post.entity";
import { PushSubscriptionEntity } from "../push/push.entity";
import { BlockEntity, MutedWordEntity, MuteEntity } from "../safety/safety.entity";
import * as Feed from "../timeline/feed";
import { BigAuthorEntity, FeedEntryEntity, HomeStateEntity, ReactionsEntity } from "../timeline/feed.entity";
import { traced } from "../trace";
import { handleKey } from "../user/read";
import { HandleEntity, UserEntity } from "../user/user.entity";
import { DeletionEntity, ExportEntity } from "./account.entity";
import { exportPrefix, HANDLE_QUARANTINE_SECONDS, RESERVED } from "./index";

// Endpoints come from the environment (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER / _SQS point at stand-ins off AWS).
const cognito = traced(new CognitoIdentityProviderClient({}));
const sqs = traced(new SQSClient({}));

type Step = (userId: string, more: () => boolean) => Promise<boolean>;

/** Deletes in pages; returns false when out of time (the caller queues the rest). */
async function pages<T>(
  read: (cursor: string | null) => Promise<{ data: T[]; cursor: string | null }>,
  each: (item: T) => Promise<void>,
  more: () => boolean,
): Promise<boolean> {
  // Every page is read from the start: what the last one deleted is gone, so no cursor has to survive a retry.
  for (;;) {
    if (!more()) return false;
    const { data } = await read(null);
    if (data.length === 0) return true;
    for (const item of data) await each(item);
  }
}

const PAGE = 25;

// Posts: hard-deleted with every feed entry naming them; removing the profile entry clears followers' homes (the
// fan-out subscriber), removing the item clears the search document (the indexer).
const posts: Step = (userId, more) =>
  pages(
    () => PostEntity.query.byAuthor({ authorId: userId }).go({ limit: PAGE }),
    async (post) => {
      const seq = Feed.seqOf(post.postId);
      const [likes, reposts] = await Promise.all([
        LikeEntity.query.byPost({ postId: post.postId }).go({ pages: "all" }),
        RepostEntity.query.byPost({ postId: post.postId }).go({ pages: "all" }),
      ]);
      // Others' reposts leave their profiles too.
      for (const r of reposts.data)
        await FeedEntryEntity.delete({ feed: Feed.key.user(r.userId), seq: r.seq }).go();
      if (likes.data.length) await LikeEntity.delete(likes.data).go();
      if (reposts.data.length) await RepostEntity.delete(reposts.data).go();
      const outcome = await transact(({ post: p, feedEntry: feed }) => ({
        post: p.delete({ postId: post.postId }).commit(),
        profileEntry: feed.delete({ feed: Feed.key.user(userId), seq }).commit(),
        listEntry: feed
          .delete({ feed: post.replyTo ? Feed.key.replies(post.replyTo) : Feed.publicFeed(seq), seq })
          .commit(),
        parent:
          post.replyTo && !post.deletedAt
            ? p
                .patch({ postId: post.replyTo })
                .subtract({ replies: 1 })
                .where((a, op) => op.exists(a.postId))
                .commit()
            : undefined,
        tags: post.hashtags.slice(0, 10).map((tag) => feed.delete({ feed: Feed.key.tag(tag), seq }).commit()),
      }));
      // The parent may be gone already: delete without touching it.
      if (!outcome.ok) await PostEntity.delete({ postId: post.postId }).go();
      if (post.mediaIds.length) await release(post.mediaIds);
    },
    more,
  );

// The user's likes and reposts of others' posts: each counter goes down with its edge.
const likes: Step = (userId, more) =>
  pages(
    () => LikeEntity.query.byUser({ userId }).go({ limit: PAGE }),
    async (like) => {
      const outcome = await transact(({ like: l, post }) => ({
        like: l.delete(like).commit(),
        post: post
          .patch({ postId: like.postId })
          .subtract({ likes: 1 })
          .where((a, op) => op.exists(a.postId))
          .commit(),
      }));
      if (!outcome.ok) await LikeEntity.delete(like).go();
    },
    more,
  );

const reposts: Step = (userId, more) =>
  pages(
    () => RepostEntity.query.byUser({ userId }).go({ limit: PAGE }),
    async (repost) => {
      const outcome = await transact(({ repost: r, post, feedEntry: feed }) => ({
        repost: r.delete(repost).commit(),
        post: post
          .patch({ postId: repost.postId })
          .subtract({ reposts: 1 })
          .where((a, op) => op.exists(a.postId))
          .commit(),
        profileEntry: feed.delete({ feed: Feed.key.user(userId), seq: repost.seq }).commit(),
      }));
      if (!outcome.ok) {
        await FeedEntryEntity.delete({ feed: Feed.key.user(userId), seq: repost.seq }).go();
        await RepostEntity.delete(repost).go();
      }
    },
    more,
  );

// Follows both ways: the other side's counter goes down with the edge; their home forgets the followee's entries.
const following: Step = (userId, more) =>
  pages(
    () => FollowEntity.query.byFollower({ followerId: userId }).go({ limit: PAGE }),
    async (edge) => {
      const outcome = await transact(({ follow, user }) => ({
        edge: follow.delete(edge).commit(),
        followee: user
          .patch({ userId: edge.followeeId })
          .subtract({ followers: 1 })
          .where((a, op) => op.exists(a.userId))
          .commit(),
      }));
      if (!outcome.ok) await FollowEntity.delete(edge).go();
    },
    more,
  );

const followers: Step = (userId, more) =>
  pages(
    () => FollowEntity.query.byFollowee({ followeeId: userId }).go({ limit: PAGE }),
    async (edge) => {
      const outcome = await transact(({ follow, user, homeState }) => ({
        edge: follow.delete(edge).commit(),
        follower: user
          .patch({ userId: edge.followerId })
          .subtract({ following: 1 })
          .where((a, op) => op.exists(a.userId))
          .commit(),
        home: homeState
          .update({ feed: Feed.key.home(edge.followerId) })
          .add({ version: 1 })
          .commit(),
      }));
      if (!outcome.ok) await FollowEntity.delete(edge).go();
    },
    more,
  );

// Rooms: the membership goes, the messages stay and show a deleted sender; a 1:1 room's pair item goes too.
const rooms: Step = (userId, more) =>
  pages(
    () => MembershipEntity.query.byUser({ userId }).go({ limit: PAGE }),
    async (membership) => {
      const { roomId } = membership;
      let cursor: string | null = null;
      do {
        const page: {
          data: { seq: number; senderId: string; senderHandle: string }[];
          cursor: string | null;
        } = await MessageEntity.query.byRoom({ roomId }).go({ cursor, limit: 200 });
        for (const m of page.data)
          if (m.senderId === userId && m.senderHandle !== "")
            await MessageEntity.patch({ roomId, seq: m.seq })
              .set({ senderHandle: "", senderName: "" })
              .remove(["senderAvatar"])
              .go();
        cursor = page.cursor;
      } while (cursor);
      // Their reactions go, and with them their part of the counts the others see.
      const { data: reactions } = await ChatReactionEntity.query
        .byMember({ roomId, userId })
        .go({ pages: "all" });
      for (const r of reactions) {
        const key = { roomId, userId, seq: r.seq, emoji: r.emoji };
        const counter = COUNTER[r.emoji as keyof typeof COUNTER];
        const one: Partial<Record<typeof counter, number>> = { [counter]: 1 };
        const undone = await transact(({ chatReaction, message }) => ({
          reaction: chatReaction.delete(key).commit(),
          count: counter
            ? message
                .patch({ roomId, seq: r.seq })
                .subtract(one)
                .where((a, op) => op.exists(a.messageId))
                .commit()
            : undefined,
        }));
        if (!undone.ok) await ChatReactionEntity.delete(key).go();
      }
      const { data: room } = await RoomEntity.get({ roomId }).go();
      if (room?.kind === "direct") {
        const { data: members } = await MembershipEntity.query.byRoom({ roomId }).go({ pages: "all" });
        const other = members.find((m) => m.userId !== userId)?.userId;
        if (other) await DirectEntity.delete({ pairKey: [userId, other].sort().join("#") }).go();
      }
      const outcome = await transact(({ membership: m, room: r }) => ({
        membership: m.delete({ roomId, userId }).commit(),
        room: r
          .patch({ roomId })
          .subtract({ memberCount: 1 })
          .where((a, op) => op.exists(a.roomId))
          .commit(),
      }));
      if (!outcome.ok) await MembershipEntity.delete({ roomId, userId }).go();
    },
    more,
  );

// Files and their items: the bucket's copies first, then the items (which name the owner in their keys).
const media: Step = (userId, more) =>
  pages(
    () => MediaEntity.query.byOwner({ ownerId: userId }).go({ limit: PAGE }),
    async (item) => {
      await release([item.mediaId]);
      await MediaEntity.delete({ mediaId: item.mediaId }).go();
    },
    more,
  );

const exportsOf: Step = async (userId, more) => {
  const done = await pages(
    () => ExportEntity.query.byUser({ userId }).go({ limit: PAGE }),
    async (item) => {
      await ExportEntity.delete(item).go();
    },
    more,
  );
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: exportPrefix(userId) }));
  for (const o of listed.Contents ?? [])
    if (o.Key) await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: o.Key }));
  return done;
};

// The user's own notification rows, their actors and marks, state and preferences.
const notifications: Step = async (userId, more) => {
  const rows = await pages(
    () => NotificationRowEntity.query.byId({ recipient: userId }).go({ limit: PAGE }),
    async (row) => {
      const [members, actors] = await Promise.all([
        NotificationMemberEntity.query.byActor({ rowId: row.rowId }).go({ pages: "all" }),
        NotificationActorEntity.query.byOrder({ rowId: row.rowId }).go({ pages: "all" }),
      ]);
      if (members.data.length) await NotificationMemberEntity.delete(members.data).go();
      if (actors.data.length) await NotificationActorEntity.delete(actors.data).go();
      await NotificationRowEntity.delete(row).go();
    },
    more,
  );
  if (!rows) return false;
  for (const inbox of inboxesOf(userId)) {
    const slots = await pages(
      () => NotificationSlotEntity.query.byOrder({ inbox }).go({ limit: PAGE }),
      async (slot) => {
        await NotificationSlotEntity.delete(slot).go();
      },
      more,
    );
    if (!slots) return false;
  }
  const marks = await pages(
    () => NotificationMarkEntity.query.byId({ recipient: userId }).go({ limit: PAGE }),
    async (mark) => {
      await NotificationMarkEntity.delete(mark).go();
    },
    more,
  );
  if (!marks) return false;
  await NotificationStateEntity.delete({ recipient: userId }).go();
  await NotificationPreferencesEntity.delete({ recipient: userId }).go();
  return true;
};

// Others' rows the user acted on (a chat message, a reply): the user leaves their actor lists.
const actedOn: Step = (userId, more) =>
  pages(
    () => NotificationMemberEntity.query.rowsOf({ actor: userId }).go({ limit: PAGE }),
    async (member) => {
      await NotificationActorEntity.delete({
        rowId: member.rowId,
        order: actorOrder(member.lastAt, userId),
      }).go();
      await NotificationMemberEntity.delete({ rowId: member.rowId, actor: userId }).go();
    },
    more,
  );

// Items in the user's own partitions: devices, sockets, limits, home timeline and its caches.
const own: Step = async (userId, more) => {
  const steps: Step[] = [
    (u, m) =>
      pages(
        () => PushSubscriptionEntity.query.byUser({ userId: u }).go({ limit: PAGE }),
        async (s) => {
          await PushSubscriptionEntity.delete(s).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => ConnectionEntity.query.byUser({ userId: u }).go({ limit: PAGE }),
        async (c) => {
          await ConnectionEntity.delete(c).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => LimitEntity.query.byWindow({ userId: u }).go({ limit: PAGE }),
        async (l) => {
          await LimitEntity.delete(l).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => FeedEntryEntity.query.byFeed({ feed: Feed.key.home(u) }).go({ limit: 100 }),
        async (e) => {
          await FeedEntryEntity.delete(e).go();
        },
        m,
      ),
    // Whatever is left in the profile feed (entries of posts deleted elsewhere).
    (u, m) =>
      pages(
        () => FeedEntryEntity.query.byFeed({ feed: Feed.key.user(u) }).go({ limit: 100 }),
        async (e) => {
          await FeedEntryEntity.delete(e).go();
        },
        m,
      ),
  ];
  for (const step of steps) if (!(await step(userId, more))) return false;
  await HomeStateEntity.delete({ feed: Feed.key.home(userId) }).go();
  await ReactionsEntity.delete({ feed: Feed.key.home(userId) }).go();
  await BigAuthorEntity.delete({ scope: Feed.BIG, userId }).go();
  await SignOutEntity.delete({ userId }).go();
  return true;
};

// Blocks and mutes either way, and muted words: items that name the user in their keys.
const safety: Step = async (userId, more) => {
  const steps: Step[] = [
    (u, m) =>
      pages(
        () => BlockEntity.query.byBlocker({ blockerId: u }).go({ limit: PAGE }),
        async (b) => {
          await BlockEntity.delete(b).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => BlockEntity.query.byBlocked({ blockedId: u }).go({ limit: PAGE }),
        async (b) => {
          await BlockEntity.delete(b).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => MuteEntity.query.byMuter({ muterId: u }).go({ limit: PAGE }),
        async (x) => {
          await MuteEntity.delete(x).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => MuteEntity.query.byMuted({ mutedId: u }).go({ limit: PAGE }),
        async (x) => {
          await MuteEntity.delete(x).go();
        },
        m,
      ),
    (u, m) =>
      pages(
        () => MutedWordEntity.query.byUser({ userId: u }).go({ limit: PAGE }),
        async (w) => {
          await MutedWordEntity.delete(w).go();
        },
        m,
      ),
  ];
  for (const step of steps) if (!(await step(userId, more))) return false;
  return true;
};

/**
 * Moderation. The reports the user filed go (their id, their words); the case each fed keeps its count and reasons,
 * which name nobody: content reported before its reporter left is still reviewed. Reports about the user themself
 * and that case go too: nobody is left to act on. Cases about their posts and messages stay, naming them only in
 * `ownerId` (the posts are gone; messages stay with a blanked sender and may still be removed), and the audit log
 * stays whole: append-only, the moderators' record of what was done to whom, with ids in attributes, never in keys.
 */
const moderation: Step = async (userId, more) => {
  const filed = await pages(
    () => ReportEntity.query.byReporter({ reporterId: userId }).go({ limit: PAGE }),
    async (r) => {
      await ReportEntity.delete(r).go();
    },
    more,
  );
  if (!filed) return false;
  const about = await pages(
    () => ReportEntity.query.byTarget({ targetType: "user", targetId: userId }).go({ limit: PAGE }),
    async (r) => {
      await ReportEntity.delete(r).go();
    },
    more,
  );
  if (!about) return false;
  await CaseEntity.delete({ targetType: "user", targetId: userId }).go();
  return true;
};

// Calls: the user's history and active-call marker go. A call the other side still lists keeps its item with this
// side's card blanked, as shared messages keep a deleted sender; a call nobody lists any more goes with the log.
const calls: Step = async (userId, more) => {
  const done = await pages(
    () => CallLogEntity.query.byUser({ userId }).go({ limit: PAGE }),
    async (log) => {
      const { data: call } = await CallEntity.get({ callId: log.callId }).go();
      if (call) {
        const other = call.callerId === userId ? call.calleeId : call.callerId;
        const { data: listed } = await CallLogEntity.get({ userId: other, callId: call.callId }).go();
        if (!listed) await CallEntity.delete({ callId: call.callId }).go();
        else {
          const side = call.callerId === userId ? "caller" : "callee";
          const { [`${side}Avatar` as const]: _avatar, ...rest } = call;
          await CallEntity.put({ ...rest, [`${side}Handle`]: "", [`${side}Name`]: "" }).go();
        }
      }
      await CallLogEntity.delete({ userId, callId: log.callId }).go();
    },
    more,
  );
  if (done) await CallActiveEntity.delete({ userId }).go();
  return done;
};

/** The notification store's inboxes of a recipient: one, keyed by the recipient. */
function inboxesOf(userId: string): string[] {
  return [userId];
}

/** Last: the profile, then the handle as a reservation, then the Cognito user and the job's own record. */
async function profile(userId: string): Promise<void> {
  const { data: user } = await UserEntity.get({ userId }).go();
  const { data: job } = await DeletionEntity.get({ userId }).go();
  const handle = user?.handle ?? job?.handle;
  if (handle) {
    const key = handleKey(handle);
    const { data: owner } = await HandleEntity.get({ handleKey: key }).go();
    if (owner?.userId === userId)
      await HandleEntity.put({
        handleKey: key,
        userId: RESERVED,
        expireAt: Math.floor(Date.now() / 1000) + HANDLE_QUARANTINE_SECONDS,
      }).go();
  }
  if (user) await UserEntity.delete({ userId }).go();
  try {
    await cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: Resource.Auth.userPoolId, Username: userId }),
    );
  } catch (error) {
    // A redelivered message: the user is gone already.
    if ((error as { name?: string }).name !== "UserNotFoundException") throw error;
  }
  await DeletionEntity.delete({ userId }).go();
}

const STEPS: [string, Step][] = [
  ["posts", posts],
  ["reposts", reposts],
  ["likes", likes],
  ["following", following],
  ["followers", followers],
  ["rooms", rooms],
  ["calls", calls],
  ["safety", safety],
  ["moderation", moderation],
  ["media", media],
  ["exports", exportsOf],
  ["notifications", notifications],
  ["actedOn", actedOn],
  ["own", own],
];

/**
 * Removes everything of a user whose deletion was asked for, until `deadline` (epoch ms). Every step deletes what it
 * still finds, so a retry or a continuation starts over safely; answers whether it finished.
 */
export async function sweep(userId: string, deadline: number): Promise<boolean> {
  const { data: job } = await DeletionEntity.get({ userId }).go();
  // Never asked for (or finished already): nothing to do. The request writes the record before queueing.
  if (!job) return true;
  const more = () => Date.now() < deadline;
  for (const [, step] of STEPS) if (!(await step(userId, more))) return false;
  await profile(userId);
  return true;
}

/**
 * A late sweep: the partitions a write can still reach after the sweep (see LATE_WRITE_SECONDS), i.e. the user's
 * own (home timeline and its caches, devices, sockets, limits) and the reports index. Key queries on partitions
 * that are almost always empty: cheaper than checking every fan-out recipient.
 */
export async function lateSweep(userId: string, deadline: number): Promise<boolean> {
  const more = () => Date.now() < deadline;
  return (await own(userId, more)) && (await moderation(userId, more));
}

/** Queues the next late sweep, `left` more to come after it, one configured delay from now. */
export async function queueLateSweep(userId: string, left: number): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: Resource.AccountDeletions.url,
      MessageBody: JSON.stringify({ userId, late: left }),
      DelaySeconds: Resource.AccountSweeps.lateSweepSeconds,
    }),
  );
}

/** Queues the rest of a sweep that ran out of time. */
export async function continueSweep(userId: string): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: Resource.AccountDeletions.url,
      MessageBody: JSON.stringify({ userId }),
    }),
  );
}
