-- Each worker's runs in progress at its last beat: a worker firing schedules hands a run to a less loaded one.
ALTER TABLE "workers" ADD COLUMN "active_runs" INTEGER NOT NULL DEFAULT 0;
