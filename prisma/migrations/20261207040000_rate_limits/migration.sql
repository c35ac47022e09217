-- Rate limits shared by every process and kept across restarts (sign-in guesses, anonymous mutations, refused
-- operations' audit rows). The table is rate-limiter-flexible's RateLimiterPostgres layout, created here so the
-- library never runs DDL: one row per limited key, its points in the current window and when that window ends
-- (epoch milliseconds).

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
