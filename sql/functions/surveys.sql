-- Surveys (issue 12): a player's RPE and wellness answers, their JSON, and
-- the training-load figures derived from them. The load computation lives
-- here, once, so the API (GET .../surveys) and the report builder share it.
--
-- Sources:
--   sRPE load (session rating of perceived exertion, arbitrary units) =
--     RPE (Borg CR-10, 0-10) x session duration in minutes: Foster C. et al.
--     (2001) "A new approach to monitoring exercise training", J Strength
--     Cond Res 15(1):109-115.
--   Acute:chronic workload ratio, rolling averages: the 7-day sum of daily
--     loads over the 28-day sum divided by 4 (the mean week of the 28 days).
--   Acute:chronic workload ratio, exponentially weighted moving averages:
--     Williams S. et al. (2017) "Better way to determine the acute:chronic
--     workload ratio?", Br J Sports Med 51(3):209-210:
--     EWMA_today = load_today x lambda + (1 - lambda) x EWMA_yesterday,
--     lambda = 2 / (N + 1), N = 7 (acute) and 28 (chronic); ratio = acute /
--     chronic EWMA.
--
-- Conventions of this implementation: a day is a UTC calendar day; a day's
-- load is the sum of the sRPE loads of the player's surveys answered that
-- day (a day without any counts 0); the history is every survey of the
-- player's name in sessions not deleted; the EWMAs start at 0 on the day
-- before the player's first day with a load. Both ratios are NULL until the
-- history spans 28 days (day of the first load to the day asked, both
-- counted), and when the chronic figure is 0.

-- sRPE load (Foster 2001): rpe (CR-10) x duration_min; NULL when either is.
CREATE OR REPLACE FUNCTION stint_srpe_load(rpe numeric, duration_min numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT rpe * duration_min
$$;

-- The API's JSON for one survey row, with its sRPE load.
CREATE OR REPLACE FUNCTION stint_survey_json(s surveys) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'id', s.id, 'session_id', s.session_id, 'player', s.player,
		'rpe', s.rpe, 'duration_min', s.duration_min,
		'srpe_load', stint_srpe_load(s.rpe, s.duration_min),
		'fatigue', s.fatigue, 'mood', s.mood, 'readiness', s.readiness,
		'sleep_duration_h', s.sleep_duration_h, 'sleep_quality', s.sleep_quality,
		'soreness', s.soreness, 'stress', s.stress,
		'answered_at', s.answered_at, 'user_id', s.user_id, 'created_at', s.created_at)
$$;

-- Player p_player's acute:chronic workload ratios on UTC day p_day, from
-- the sRPE loads of all the player's surveys up to that day (see the
-- sources and conventions above), with an acute window of p_acute days and
-- a chronic one of p_chronic days (7 and 28 by default; a team's own in
-- load_thresholds.acute_days/chronic_days, see stint_acwr_windows). This
-- is the one definition of the ratios: GET .../surveys (through
-- stint_session_surveys_json) and bin/stint-report both read it.
-- days_of_history: days from the first day with a load to p_day, both
-- counted (0: no load yet); acute_load_7d and chronic_load_28d: the sums of
-- the p_acute and p_chronic days ending on p_day (arbitrary units; named
-- for the default windows);
--   acwr_rolling ("coupled", the chronic window holds the acute one)
--     = (acute sum / p_acute) / (chronic sum / p_chronic),
--     with 7 and 28: acute_load_7d / (chronic_load_28d / 4);
--   acwr_ewma = EWMA(lambda 2/(p_acute+1)) / EWMA(lambda 2/(p_chronic+1))
--     on p_day (Williams et al. 2017).
-- Both NULL until the history spans p_chronic days, and when the chronic
-- figure is 0.
CREATE OR REPLACE FUNCTION stint_player_acwr(p_player text, p_day date,
	p_acute int DEFAULT 7, p_chronic int DEFAULT 28,
	OUT days_of_history int, OUT acute_load_7d numeric, OUT chronic_load_28d numeric,
	OUT acwr_rolling float8, OUT acwr_ewma float8)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	first_day date;
	load_day date;
	day_load numeric;
	ewma_acute numeric := 0;
	ewma_chronic numeric := 0;
	lambda_acute CONSTANT numeric := 2.0 / (p_acute + 1);
	lambda_chronic CONSTANT numeric := 2.0 / (p_chronic + 1);
BEGIN
	SELECT min((v.answered_at AT TIME ZONE 'UTC')::date) INTO first_day
	FROM surveys v JOIN sessions s ON s.id = v.session_id AND s.deleted_at IS NULL
	WHERE v.player = p_player AND v.rpe IS NOT NULL AND v.duration_min IS NOT NULL
	AND (v.answered_at AT TIME ZONE 'UTC')::date <= p_day;
	IF first_day IS NULL THEN
		days_of_history := 0;
		RETURN;
	END IF;
	days_of_history := p_day - first_day + 1;
	acute_load_7d := 0;
	chronic_load_28d := 0;
	FOR load_day, day_load IN
		WITH loads AS (SELECT (v.answered_at AT TIME ZONE 'UTC')::date AS day,
				sum(stint_srpe_load(v.rpe, v.duration_min)) AS load
			FROM surveys v JOIN sessions s ON s.id = v.session_id AND s.deleted_at IS NULL
			WHERE v.player = p_player AND v.rpe IS NOT NULL AND v.duration_min IS NOT NULL
			GROUP BY 1)
		SELECT g.day::date, coalesce(l.load, 0)
		FROM generate_series(first_day, p_day, interval '1 day') g (day)
		LEFT JOIN loads l ON l.day = g.day::date ORDER BY g.day LOOP
		ewma_acute := day_load * lambda_acute + (1 - lambda_acute) * ewma_acute;
		ewma_chronic := day_load * lambda_chronic + (1 - lambda_chronic) * ewma_chronic;
		IF load_day > p_day - p_acute THEN
			acute_load_7d := acute_load_7d + day_load;
		END IF;
		IF load_day > p_day - p_chronic THEN
			chronic_load_28d := chronic_load_28d + day_load;
		END IF;
	END LOOP;
	IF days_of_history >= p_chronic THEN
		IF chronic_load_28d > 0 THEN
			acwr_rolling := (acute_load_7d / p_acute) / (chronic_load_28d / p_chronic);
		END IF;
		IF ewma_chronic > 0 THEN
			acwr_ewma := ewma_acute / ewma_chronic;
		END IF;
	END IF;
END $$;

-- The ACWR windows (days) for player p_player in session sid: those of the
-- load_thresholds row that applies to the side the player is a participant
-- of (the side's team's own row, else the default row team '', the latest
-- valid_from on or before the session's day: the row bin/stint-report's
-- REPORT_THRESHOLDS reads), else 7 and 28 (Williams et al. 2017).
CREATE OR REPLACE FUNCTION stint_acwr_windows(sid uuid, p_player text,
	OUT acute_days int, OUT chronic_days int)
LANGUAGE sql STABLE AS $$
	SELECT w.acute_days, w.chronic_days FROM (
		(SELECT t.acute_days, t.chronic_days, 0 AS pref FROM sessions s
		LEFT JOIN teams tm ON tm.session_id = s.id AND tm.side = (SELECT p.team_side FROM participants p
			WHERE p.session_id = sid AND p.player = p_player ORDER BY p.id DESC LIMIT 1)
		JOIN load_thresholds t ON t.team IN (coalesce(tm.name, ''), '')
			AND t.valid_from <= coalesce(s.starts_at, s.created_at)::date
		WHERE s.id = sid ORDER BY (t.team <> '') DESC, t.valid_from DESC LIMIT 1)
		UNION ALL SELECT 7, 28, 1) w
	ORDER BY w.pref LIMIT 1
$$;

-- The day session sid's loads are judged on for player p_player (UTC): the
-- session's starts_at, else the player's latest answer in the session,
-- else today.
CREATE OR REPLACE FUNCTION stint_survey_day(sid uuid, p_player text) RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT (coalesce((SELECT starts_at FROM sessions WHERE id = sid),
		(SELECT max(answered_at) FROM surveys WHERE session_id = sid AND player = p_player),
		now()) AT TIME ZONE 'UTC')::date
$$;

-- GET .../surveys: {"items": session sid's surveys by answered_at, id,
-- "players": one per player answering, by name: player, srpe_load (the sum
-- of the player's loads in this session, NULL when none has one), day (the
-- day of stint_survey_day), the windows (acute_days, chronic_days) of
-- stint_acwr_windows and stint_player_acwr's figures with them}, or NULL when
-- there is no such session (or it is deleted).
CREATE OR REPLACE FUNCTION stint_session_surveys_json(sid uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'items', coalesce((SELECT jsonb_agg(stint_survey_json(v) ORDER BY v.answered_at, v.id)
			FROM surveys v WHERE v.session_id = sid), '[]'),
		'players', coalesce((SELECT jsonb_agg(jsonb_build_object(
			'player', p.player, 'srpe_load', p.srpe_load, 'day', p.day,
			'days_of_history', a.days_of_history, 'acute_load_7d', a.acute_load_7d,
			'chronic_load_28d', a.chronic_load_28d, 'acwr_rolling', a.acwr_rolling,
			'acwr_ewma', a.acwr_ewma, 'acute_days', w.acute_days, 'chronic_days', w.chronic_days)
			ORDER BY p.player)
			FROM (SELECT v.player, sum(stint_srpe_load(v.rpe, v.duration_min)) AS srpe_load,
				stint_survey_day(sid, v.player) AS day
				FROM surveys v WHERE v.session_id = sid GROUP BY v.player) p,
			LATERAL stint_acwr_windows(sid, p.player) w,
			LATERAL stint_player_acwr(p.player, p.day, w.acute_days, w.chronic_days) a), '[]'))
	FROM sessions s WHERE s.id = sid AND s.deleted_at IS NULL
$$;
