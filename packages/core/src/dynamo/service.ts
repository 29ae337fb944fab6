import { Service } from "electrodb";
import { DeletionEntity } from "../account/account.entity";
import { CallActiveEntity, CallEntity, CallLogEntity } from "../call/call.entity";
import { ChatReactionEntity } from "../chat/reaction.entity";
import { DirectEntity, MembershipEntity, MessageEntity, RoomEntity } from "../chat/room.entity";
import { ConnectionEntity, SignOutEntity } from "../connection/connection.entity";
import { FollowEntity } from "../follow/follow.entity";
import { LimitEntity } from "../limit/limit.entity";
import { MediaEntity } from "../media/media.entity";
import { AuditEntity, CaseEntity, ReportEntity } from "../moderation/moderation.entity";
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
import { BlockEntity, MutedWordEntity, MuteEntity } from "../safety/safety.entity";
import { BigAuthorEntity, FeedEntryEntity, HomeStateEntity, ReactionsEntity } from "../timeline/feed.entity";
import { HandleEntity, UserEntity } from "../user/user.entity";
import { configuration } from "./index";
import { failedOf, flatten, isContention, type Outcome, type StepName, type Steps } from "./transaction";

export type { Outcome } from "./transaction";

// Every entity, so a transaction may span domains; outside one, domains call each other's functions.
export const db = new Service(
  {
    post: PostEntity,
    like: LikeEntity,
    repost: RepostEntity,
    feedEntry: FeedEntryEntity,
    bigAuthor: BigAuthorEntity,
    homeState: HomeStateEntity,
    reactions: ReactionsEntity,
    user: UserEntity,
    handle: HandleEntity,
    follow: FollowEntity,
    media: MediaEntity,
    room: RoomEntity,
    direct: DirectEntity,
    membership: MembershipEntity,
    message: MessageEntity,
    chatReaction: ChatReactionEntity,
    connection: ConnectionEntity,
    limit: LimitEntity,
    signOut: SignOutEntity,
    ntfState: NotificationStateEntity,
    ntfRow: NotificationRowEntity,
    ntfSlot: NotificationSlotEntity,
    ntfMark: NotificationMarkEntity,
    ntfMember: NotificationMemberEntity,
    ntfActor: NotificationActorEntity,
    ntfPrefs: NotificationPreferencesEntity,
    call: CallEntity,
    callLog: CallLogEntity,
    callActive: CallActiveEntity,
    deletion: DeletionEntity,
    block: BlockEntity,
    mute: MuteEntity,
    mutedWord: MutedWordEntity,
    report: ReportEntity,
    modcase: CaseEntity,
    modaudit: AuditEntity,
  },
  configuration(),
);

type Write = Parameters<typeof db.transaction.write>[0];
/** The entities a transaction's items are built from. */
export type Entities = Parameters<Write>[0];

const MAX_ATTEMPTS = 8;

/** ElectroDB answers a cancelled transaction instead of throwing: name what failed, retry only contention. */
export async function transact<S extends Steps>(
  build: (entities: Entities) => S,
  options: { attempts?: number } = {},
): Promise<Outcome<StepName<S>>> {
  const attempts = options.attempts ?? MAX_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let names: StepName<S>[] = [];
    const result = await db.transaction
      .write((entities) => {
        const flat = flatten(build(entities));
        names = flat.names;
        return flat.items as ReturnType<Write>;
      })
      .go();
    if (!result.canceled) return { ok: true };
    const reasons = (result.data ?? []) as { code?: string }[];
    if (!isContention(reasons)) return { ok: false, failed: failedOf(names, reasons) };
    if (attempt + 1 < attempts) await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
  }
  return { ok: false, failed: [] };
}
