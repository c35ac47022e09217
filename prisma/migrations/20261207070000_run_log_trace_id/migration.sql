-- The OpenTelemetry trace of the attempt that wrote a log line (null when tracing is off).
ALTER TABLE "run_log_lines" ADD COLUMN "trace_id" TEXT;
