-- Trigger functions. The migrator applies this file before each pending
-- migration too (sql/functions/README.md): keep only RETURNS trigger
-- functions here, whose signatures name no table.

-- sessions_touch (0001): a changed session row gets a new updated_at.
CREATE OR REPLACE FUNCTION stint_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END $$;

-- sessions_live_at (0023): a session that becomes live for the first time
-- gets live_at, the start of the editor's session clock.
CREATE OR REPLACE FUNCTION stint_session_live_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status = 'live' AND NEW.live_at IS NULL THEN
		NEW.live_at := now();
	END IF;
	RETURN NEW;
END $$;

-- events_rollup_insert, events_rollup_update_new (0003): count new events in
-- rollups and rollup_evaluations.
CREATE OR REPLACE FUNCTION stint_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO rollups AS r (session_id, team_side, number, event_type, count)
		SELECT session_id, actor_team, actor_number, event_type, count(*)
		FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4  -- rows locked in key order, as below
	ON CONFLICT (session_id, team_side, number, event_type)
		DO UPDATE SET count = r.count + EXCLUDED.count;
	INSERT INTO rollup_evaluations AS r (session_id, team_side, number, event_type, evaluation, count)
		SELECT session_id, actor_team, actor_number, event_type, payload->>'evaluation', count(*)
		FROM new_rows WHERE payload ? 'evaluation' AND jsonb_typeof(payload->'evaluation') = 'string'
		GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
	ON CONFLICT (session_id, team_side, number, event_type, evaluation)
		DO UPDATE SET count = r.count + EXCLUDED.count;
	RETURN NULL;
END $$;

-- events_rollup_delete, events_rollup_update_old (0003): uncount old events.
CREATE OR REPLACE FUNCTION stint_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- Lock the rows first, in key order. The statement after it decides
	-- "delete or decrement" from the count it reads: in one statement, a
	-- count that a concurrent writer changed meanwhile would be judged on
	-- the snapshot's stale value (2 -> 1 by another delete left "count > 1"
	-- false and "count <= 1" unseen, and the decrement was lost). Once
	-- locked, the next statement's snapshot holds the latest counts.
	PERFORM 1 FROM rollups r JOIN (SELECT DISTINCT session_id, actor_team, actor_number, event_type FROM old_rows) g
		ON r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
		AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
	ORDER BY r.session_id, r.team_side, r.number, r.event_type FOR UPDATE OF r;
	-- one statement, one snapshot: rows that drop to zero are deleted, the
	-- others decremented (disjoint sets of rows)
	WITH gone AS (
		SELECT session_id, actor_team, actor_number, event_type, count(*) AS n
		FROM old_rows GROUP BY 1, 2, 3, 4),
	dropped AS (
		DELETE FROM rollups r USING gone g
		WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
		  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
		  AND r.count <= g.n)
	UPDATE rollups r SET count = r.count - g.n FROM gone g
	WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
	  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
	  AND r.count > g.n;
	PERFORM 1 FROM rollup_evaluations r JOIN (SELECT DISTINCT session_id, actor_team, actor_number, event_type,
			payload->>'evaluation' AS ev FROM old_rows
			WHERE payload ? 'evaluation' AND jsonb_typeof(payload->'evaluation') = 'string') g
		ON r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
		AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type AND r.evaluation = g.ev
	ORDER BY r.session_id, r.team_side, r.number, r.event_type, r.evaluation FOR UPDATE OF r;
	WITH gone AS (
		SELECT session_id, actor_team, actor_number, event_type, payload->>'evaluation' AS ev, count(*) AS n
		FROM old_rows WHERE payload ? 'evaluation' AND jsonb_typeof(payload->'evaluation') = 'string'
		GROUP BY 1, 2, 3, 4, 5),
	dropped AS (
		DELETE FROM rollup_evaluations r USING gone g
		WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
		  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
		  AND r.evaluation = g.ev AND r.count <= g.n)
	UPDATE rollup_evaluations r SET count = r.count - g.n FROM gone g
	WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
	  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
	  AND r.evaluation = g.ev AND r.count > g.n;
	RETURN NULL;
END $$;
