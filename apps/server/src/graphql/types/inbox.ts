// The caller's in-app inbox (messages from notify.users): Viewer.inbox and Viewer.unreadInboxCount to read it,
// two mutations to mark messages read. Any signed-in identity has an inbox; the service scopes every query by the
// caller's user id, so nobody reads or marks another user's messages (their ids answer "not found").
import { createGraphQLError } from 'graphql-yoga';
import { InboxMessageNotFoundError } from '../../services/inbox.js';
import { builder } from '../builder.js';
import { ViewerRef } from './viewer.js';

builder.prismaObject('InboxMessage', {
  description: "A message in the caller's inbox, sent by a notify.users job.",
  fields: (t) => ({
    id: t.exposeID('id'),
    subject: t.exposeString('subject'),
    body: t.exposeString('body'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true, description: 'When it was first marked read; null while unread.' }),
    jobId: t.exposeID('jobId', { nullable: true, description: 'The job that sent it; null once the job is deleted.' }),
    runId: t.exposeID('runId', { nullable: true, description: 'The run that sent it; null once the run is deleted (retention).' }),
  }),
});

builder.objectFields(ViewerRef, (t) => ({
  inbox: t.prismaConnection({
    type: 'InboxMessage',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    description: "The caller's inbox, newest first.",
    args: { unreadOnly: t.arg.boolean({ required: false, description: 'Only messages not read yet.' }) },
    totalCount: (identity, args, context) => context.services.inbox.count(identity.userId, { unreadOnly: args.unreadOnly ?? false }),
    resolve: (query, identity, args, context) =>
      context.services.inbox.list(identity.userId, { unreadOnly: args.unreadOnly ?? false }, query),
  }),
  unreadInboxCount: t.int({
    description: "Messages in the caller's inbox not read yet.",
    resolve: (identity, _args, context) => context.services.inbox.unreadCount(identity.userId),
  }),
}));

builder.mutationField('markInboxMessageRead', (t) =>
  t.prismaField({
    type: 'InboxMessage',
    authScopes: { authenticated: true },
    description: 'Marks one of your inbox messages read. Marking it again keeps the first read time.',
    args: { id: t.arg.id() },
    resolve: async (query, _root, { id }, context) => {
      const inbox = context.services.inbox;
      try {
        const message = await inbox.markRead(context.identity!.userId, String(id));
        return await context.prisma.inboxMessage.findUniqueOrThrow({ ...query, where: { id: message.id } });
      } catch (error) {
        if (error instanceof InboxMessageNotFoundError) throw createGraphQLError(error.message, { extensions: { code: 'NOT_FOUND' } });
        throw error;
      }
    },
  }),
);

builder.mutationField('markAllInboxMessagesRead', (t) =>
  t.int({
    authScopes: { authenticated: true },
    description: 'Marks every unread message in your inbox read; returns how many were unread.',
    resolve: (_root, _args, context) => context.services.inbox.markAllRead(context.identity!.userId),
  }),
);
