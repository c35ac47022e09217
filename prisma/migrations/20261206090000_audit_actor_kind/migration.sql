-- Who acted, apart from the label shown: the kind of credential and, for an API token, its id. A token's name is
-- chosen by its creator and is only ever part of the label; filters and reviews rely on these columns. Rows written
-- before have neither (NULL: not recorded).

-- CreateEnum
CREATE TYPE "AuditActorKind" AS ENUM ('ANONYMOUS', 'SESSION', 'TOKEN');

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN "actor_kind" "AuditActorKind",
ADD COLUMN "actor_token_id" UUID;
