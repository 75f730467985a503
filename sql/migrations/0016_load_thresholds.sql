-- 0016_load_thresholds: every threshold of the report's load metrics and
-- survey flags, per team and from a date (issue 12; lib/loadmetrics.h names
-- each definition and its source). A session uses the row of its team's
-- name (teams.name of the participant's side) with the latest valid_from on
-- or before the session's day, else the latest such row of team '' (every
-- team without its own). Zones that change keep a past session's report as
-- it was (users of Endurain #484, GoldenCheetah #1958 asked for this).
-- The row below is the literature defaults.

CREATE TABLE load_thresholds (
	team text NOT NULL DEFAULT '' CHECK (length(team) <= 200),     -- '' = every team
	valid_from date NOT NULL DEFAULT '1970-01-01',
	max_speed_mps double precision NOT NULL DEFAULT 12 CHECK (max_speed_mps > 0),
	gap_s double precision NOT NULL DEFAULT 30 CHECK (gap_s > 0),
	sg_window integer NOT NULL DEFAULT 7 CHECK (sg_window BETWEEN 1 AND 51 AND sg_window % 2 = 1),
	sg_order integer NOT NULL DEFAULT 1 CHECK (sg_order BETWEEN 0 AND 5 AND (sg_window = 1 OR sg_order < sg_window)),
	zone1_mps double precision NOT NULL DEFAULT 2,
	zone2_mps double precision NOT NULL DEFAULT 4,
	zone3_mps double precision NOT NULL DEFAULT 5.5,
	zone4_mps double precision NOT NULL DEFAULT 7,
	hsr_mps double precision NOT NULL DEFAULT 5.5 CHECK (hsr_mps > 0),
	sprint_mps double precision NOT NULL DEFAULT 7 CHECK (sprint_mps > 0),
	sprint_min_s double precision NOT NULL DEFAULT 1 CHECK (sprint_min_s >= 0),
	accel_mps2 double precision NOT NULL DEFAULT 3 CHECK (accel_mps2 > 0),
	effort_min_s double precision NOT NULL DEFAULT 0.5 CHECK (effort_min_s >= 0),
	hr_rest_bpm double precision NOT NULL DEFAULT 60 CHECK (hr_rest_bpm > 0),
	hr_max_bpm double precision NOT NULL DEFAULT 190,
	hr_zone1_pct double precision NOT NULL DEFAULT 60,
	hr_zone2_pct double precision NOT NULL DEFAULT 70,
	hr_zone3_pct double precision NOT NULL DEFAULT 80,
	hr_zone4_pct double precision NOT NULL DEFAULT 90,
	trimp_a double precision NOT NULL DEFAULT 0.64 CHECK (trimp_a > 0),
	trimp_b double precision NOT NULL DEFAULT 1.92 CHECK (trimp_b > 0),
	wellness_flag_max integer NOT NULL DEFAULT 2 CHECK (wellness_flag_max BETWEEN 0 AND 5),
	readiness_flag_max integer NOT NULL DEFAULT 3 CHECK (readiness_flag_max BETWEEN 0 AND 10),
	sleep_flag_h double precision NOT NULL DEFAULT 6 CHECK (sleep_flag_h BETWEEN 0 AND 24),
	acute_days integer NOT NULL DEFAULT 7 CHECK (acute_days >= 1),
	chronic_days integer NOT NULL DEFAULT 28,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (team, valid_from),
	CHECK (0 < zone1_mps AND zone1_mps < zone2_mps AND zone2_mps < zone3_mps AND zone3_mps < zone4_mps),
	CHECK (0 < hr_zone1_pct AND hr_zone1_pct < hr_zone2_pct AND hr_zone2_pct < hr_zone3_pct
		AND hr_zone3_pct < hr_zone4_pct),
	CHECK (hr_max_bpm > hr_rest_bpm),
	CHECK (chronic_days > acute_days)
);

INSERT INTO load_thresholds (team) VALUES ('');
