-- Keeps updated_at current on every update, whoever writes the row (app, worker or SQL console).
CREATE OR REPLACE FUNCTION job_signals_touch_updated_at() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_signals_updated_at
  BEFORE UPDATE ON job_signals
  FOR EACH ROW EXECUTE FUNCTION job_signals_touch_updated_at();
