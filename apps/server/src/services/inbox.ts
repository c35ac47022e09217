// The in-app inbox: messages notify.users stores for a user (it delivers them through its context,
// services/sundial-data.ts; this is the reading side). The one rule: a user sees and marks only their own messages
// — every method takes the caller's user id and every query is scoped by it, so another user's message is
// indistinguishable from none.
import type { InboxMessage, Prisma } from '../db/prisma.js';
import { isUuid } from './ids.js';
import type { DbClient } from './db-client.js';


/** No such message in this user's inbox (it may be someone else's: that is not told). */
export class InboxMessageNotFoundError extends Error {
  override name = 'InboxMessageNotFoundError';
  constructor(readonly id: string) {
    super(`no message with id ${id} in your inbox`);
  }
}

export interface InboxFilter {
  /** Only messages not read yet. */
  unreadOnly?: boolean;
}

/** What a paging layer (the GraphQL connection) adds to the query: selection, cursor, page size. */
export type InboxPageQuery = Omit<Prisma.InboxMessageFindManyArgs, 'where' | 'orderBy'>;

export class InboxService {
  constructor(private readonly db: DbClient) {}

  where(userId: string, filter: InboxFilter = {}): Prisma.InboxMessageWhereInput {
    return { userId, ...(filter.unreadOnly ? { readAt: null } : {}) };
  }

  /** The user's messages, newest first. */
  list(userId: string, filter: InboxFilter = {}, page: InboxPageQuery = {}): Promise<InboxMessage[]> {
    return this.db.inboxMessage.findMany({
      ...page,
      where: this.where(userId, filter),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  count(userId: string, filter: InboxFilter = {}): Promise<number> {
    return this.db.inboxMessage.count({ where: this.where(userId, filter) });
  }

  unreadCount(userId: string): Promise<number> {
    return this.count(userId, { unreadOnly: true });
  }

  /** Marks one of the user's messages read (again is fine: the first read time stays). */
  async markRead(userId: string, id: string): Promise<InboxMessage> {
    if (!isUuid(id)) throw new InboxMessageNotFoundError(id);
    // One statement scoped by the owner: nobody can mark another user's message, even by guessing its id.
    await this.db.inboxMessage.updateMany({ where: { id, userId, readAt: null }, data: { readAt: new Date() } });
    const message = await this.db.inboxMessage.findFirst({ where: { id, userId } });
    if (!message) throw new InboxMessageNotFoundError(id);
    return message;
  }

  /** A message from Sundial itself to a user (not from a run), e.g. that someone is guessing their password. */
  send(userId: string, message: { subject: string; body: string }): Promise<InboxMessage> {
    return this.db.inboxMessage.create({ data: { userId, subject: message.subject, body: message.body } });
  }

  /** Marks every unread message of the user read; returns how many were. */
  async markAllRead(userId: string): Promise<number> {
    const { count } = await this.db.inboxMessage.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
    return count;
  }
}
