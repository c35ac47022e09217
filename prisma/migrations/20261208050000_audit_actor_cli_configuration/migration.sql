-- Definitions applied outside the API are audited too: by `sundial import` (CLI) and from sundial.yaml at start
-- (CONFIGURATION), with the OS user and host in the actor's label and details.
ALTER TYPE "AuditActorKind" ADD VALUE 'CLI';
ALTER TYPE "AuditActorKind" ADD VALUE 'CONFIGURATION';
