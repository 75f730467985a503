-- Playlists (issue 19, video review; sql/migrations/0028_playlists.sql):
-- a playlist's JSON as the API shows it (lib/playlists.h adds its items).

CREATE OR REPLACE FUNCTION stint_playlist_json(p playlists) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', p.id, 'session_id', p.session_id, 'name', p.name, 'filter', p.filter,
		'event_ids', to_jsonb(p.event_ids), 'pre_roll_sec', p.pre_roll_sec, 'post_roll_sec', p.post_roll_sec,
		'created_by', p.created_by, 'created_at', p.created_at, 'updated_at', p.updated_at,
		'share_url', '/sessions/' || p.session_id || '/review?playlist=' || p.id)
$$;
