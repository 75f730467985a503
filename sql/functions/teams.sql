-- Teams and rosters (issue 18): a session's two sides as the API shows them,
-- and the club's saved teams. Side A is home, B visiting (lib/dvw.h).

-- One roster line as JSON (roster or saved_team_players row fields).
CREATE OR REPLACE FUNCTION stint_player_json(num text, pname text, pos text, lib boolean, capt boolean)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object('number', num, 'name', pname, 'position', pos, 'libero', lib, 'captain', capt)
$$;

-- Side s of session sid as {name, short_name, colour, players: [...]}, or
-- null when the session has no team on that side. Players in shirt order
-- as every list of shirt numbers (timeline.sql): by value, then as written
-- ("0" before "00").
CREATE OR REPLACE FUNCTION stint_session_side_json(sid uuid, s text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('name', t.name, 'short_name', t.short_name, 'colour', t.colour,
		'players', coalesce((SELECT jsonb_agg(stint_player_json(r.number, r.player_name, r.position,
			r.libero, r.captain) ORDER BY r.number::int, r.number)
			FROM roster r WHERE r.session_id = sid AND r.side = t.side), '[]'))
	FROM teams t WHERE t.session_id = sid AND t.side = s
$$;

-- Both sides of session sid: {"home": side or null, "visiting": side or null}.
CREATE OR REPLACE FUNCTION stint_session_teams_json(sid uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('session_id', sid, 'home', stint_session_side_json(sid, 'A'),
		'visiting', stint_session_side_json(sid, 'B'))
$$;

-- Saved team tid as {id, name, short_name, colour, players, owner_id, created_at, updated_at}, or null.
CREATE OR REPLACE FUNCTION stint_saved_team_json(tid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', t.id, 'name', t.name, 'short_name', t.short_name, 'colour', t.colour,
		'players', coalesce((SELECT jsonb_agg(stint_player_json(p.number, p.player_name, p.position,
			p.libero, p.captain) ORDER BY p.number::int, p.number)
			FROM saved_team_players p WHERE p.team_id = t.id), '[]'),
		'owner_id', t.owner_id, 'created_at', t.created_at, 'updated_at', t.updated_at)
	FROM saved_teams t WHERE t.id = tid
$$;

-- Replace side s of session sid by team j (validated: name, short_name,
-- colour, players [{number, name, position, libero, captain}]); j null
-- removes the side. Returns the side's JSON afterwards (null when removed).
CREATE OR REPLACE FUNCTION stint_session_side_put(sid uuid, s text, j jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM teams WHERE session_id = sid AND side = s;
	IF j IS NULL OR jsonb_typeof(j) = 'null' THEN
		RETURN NULL;
	END IF;
	INSERT INTO teams (session_id, side, name, short_name, colour)
		VALUES (sid, s, j->>'name', coalesce(j->>'short_name', ''), coalesce(j->>'colour', ''));
	INSERT INTO roster (session_id, side, number, player_name, position, libero, captain)
		SELECT sid, s, p->>'number', coalesce(p->>'name', ''), coalesce(p->>'position', ''),
			coalesce((p->>'libero')::boolean, false), coalesce((p->>'captain')::boolean, false)
		FROM jsonb_array_elements(coalesce(j->'players', '[]')) p;
	RETURN stint_session_side_json(sid, s);
END $$;

-- Side s of session sid becomes a copy of saved team tid. Returns the
-- side's JSON, or null (nothing changed) when there is no such saved team.
CREATE OR REPLACE FUNCTION stint_session_side_copy(sid uuid, s text, tid bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM saved_teams WHERE id = tid) THEN
		RETURN NULL;
	END IF;
	DELETE FROM teams WHERE session_id = sid AND side = s;
	INSERT INTO teams (session_id, side, name, short_name, colour)
		SELECT sid, s, name, short_name, colour FROM saved_teams WHERE id = tid;
	INSERT INTO roster (session_id, side, number, player_name, position, libero, captain)
		SELECT sid, s, number, player_name, position, libero, captain FROM saved_team_players WHERE team_id = tid;
	RETURN stint_session_side_json(sid, s);
END $$;

-- Write saved team j (validated, as stint_session_side_put's) as team tid
-- (null: a new one owned by uid). Returns its JSON, null when tid is absent.
CREATE OR REPLACE FUNCTION stint_saved_team_put(tid bigint, j jsonb, uid bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	id_ bigint := tid;
BEGIN
	IF id_ IS NULL THEN
		INSERT INTO saved_teams (name, short_name, colour, owner_id)
			VALUES (j->>'name', coalesce(j->>'short_name', ''), coalesce(j->>'colour', ''), uid)
			RETURNING id INTO id_;
	ELSE
		UPDATE saved_teams SET name = j->>'name', short_name = coalesce(j->>'short_name', ''),
			colour = coalesce(j->>'colour', '') WHERE id = id_;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		DELETE FROM saved_team_players WHERE team_id = id_;
	END IF;
	INSERT INTO saved_team_players (team_id, number, player_name, position, libero, captain)
		SELECT id_, p->>'number', coalesce(p->>'name', ''), coalesce(p->>'position', ''),
			coalesce((p->>'libero')::boolean, false), coalesce((p->>'captain')::boolean, false)
		FROM jsonb_array_elements(coalesce(j->'players', '[]')) p;
	RETURN stint_saved_team_json(id_);
END $$;
