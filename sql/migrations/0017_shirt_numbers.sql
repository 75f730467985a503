-- 0017_shirt_numbers: a shirt number is text of 1 to 3 digits, not an
-- integer (issue 14): jersey "00" is not "0" in several sports, and clients
-- (seed 000) send "12". Every column that holds one (events.actor_number,
-- roster.number, rollups.number, rollup_evaluations.number; participants
-- .number is text since 0012) becomes text with the same check. An integer
-- n becomes its decimal text ("7"): nothing is lost, since an integer never
-- held a leading zero. The rollups' unique indexes and the roster's primary
-- key are rebuilt with the columns; the rollup triggers and functions read
-- the columns by name (sql/functions/triggers.sql, timeline.sql) and keep
-- their signatures.

ALTER TABLE events DROP CONSTRAINT events_actor_number_check;
ALTER TABLE events ALTER COLUMN actor_number TYPE text USING actor_number::text;
ALTER TABLE events ADD CONSTRAINT events_actor_number_check CHECK (actor_number ~ '^[0-9]{1,3}$');

ALTER TABLE roster DROP CONSTRAINT roster_number_check;
ALTER TABLE roster ALTER COLUMN number TYPE text USING number::text;
ALTER TABLE roster ADD CONSTRAINT roster_number_check CHECK (number ~ '^[0-9]{1,3}$');

ALTER TABLE rollups ALTER COLUMN number TYPE text USING number::text;
ALTER TABLE rollups ADD CONSTRAINT rollups_number_check CHECK (number ~ '^[0-9]{1,3}$');

ALTER TABLE rollup_evaluations ALTER COLUMN number TYPE text USING number::text;
ALTER TABLE rollup_evaluations ADD CONSTRAINT rollup_evaluations_number_check CHECK (number ~ '^[0-9]{1,3}$');
