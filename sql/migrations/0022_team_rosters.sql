-- 0022_team_rosters: a session's teams as a coach edits them (issue 18), and
-- the club's saved teams a session copies in. Builds on 0001's teams and
-- roster: a team gains a short name and a colour; a roster line's role
-- becomes position, and it gains the libero and captain flags. Its shirt
-- number is text ("00" is not "0", as printed on the shirt) since 0017,
-- which also gave it its check.

ALTER TABLE teams
	ADD COLUMN short_name text NOT NULL DEFAULT '' CHECK (length(short_name) <= 12),
	ADD COLUMN colour text NOT NULL DEFAULT '' CHECK (colour = '' OR colour ~ '^#[0-9a-f]{6}$');

ALTER TABLE roster RENAME COLUMN role TO position;
ALTER TABLE roster
	ADD COLUMN libero boolean NOT NULL DEFAULT false,
	ADD COLUMN captain boolean NOT NULL DEFAULT false;
UPDATE roster SET libero = true WHERE position = 'libero';

-- A club's squad, entered once; a session side copies it (teams, roster).
CREATE TABLE saved_teams (
	id bigserial PRIMARY KEY,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	short_name text NOT NULL DEFAULT '' CHECK (length(short_name) <= 12),
	colour text NOT NULL DEFAULT '' CHECK (colour = '' OR colour ~ '^#[0-9a-f]{6}$'),
	owner_id bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_teams_name_idx ON saved_teams (lower(name), id);

CREATE TABLE saved_team_players (
	team_id bigint NOT NULL REFERENCES saved_teams (id) ON DELETE CASCADE,
	number text NOT NULL CHECK (number ~ '^[0-9]{1,3}$'),
	player_name text NOT NULL DEFAULT '' CHECK (length(player_name) <= 200),
	position text NOT NULL DEFAULT '' CHECK (length(position) <= 50),
	libero boolean NOT NULL DEFAULT false,
	captain boolean NOT NULL DEFAULT false,
	PRIMARY KEY (team_id, number)
);

CREATE TRIGGER saved_teams_touch BEFORE UPDATE ON saved_teams
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();
