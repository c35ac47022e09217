-- The audit log is append-only: the application may insert, never rewrite, delete or truncate past rows.
-- The one update allowed is the foreign key's own ON DELETE SET NULL when the actor's user is deleted;
-- actor_label keeps who it was.

-- CreateFunction
CREATE FUNCTION audit_events_append_only() RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.at, NEW.actor_label, NEW.ip, NEW.action, NEW.target_type, NEW.target_id, NEW.outcome, NEW.details::text)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_label, OLD.ip, OLD.action, OLD.target_type, OLD.target_id, OLD.outcome, OLD.details::text)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

-- CreateTrigger
CREATE TRIGGER "audit_events_append_only"
BEFORE UPDATE OR DELETE ON "audit_events"
FOR EACH ROW
EXECUTE FUNCTION audit_events_append_only();

-- CreateTrigger
CREATE TRIGGER "audit_events_no_truncate"
BEFORE TRUNCATE ON "audit_events"
FOR EACH STATEMENT
EXECUTE FUNCTION audit_events_append_only();
