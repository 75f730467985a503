-- The recorder bucket (issue 13; docs/recorder.md): a recording's JSON.

-- The API's JSON for one discovered recording (GET /api/v1/recorder/sessions,
-- and a session's linked recording). The object keys stay out: files lists
-- the formats present (ogg, flac, waveform, overview), which a download
-- route turns into a presigned URL after its access check.
CREATE OR REPLACE FUNCTION stint_recording_json(rs recorder_sessions) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'id', rs.id, 'recorder_id', rs.recorder_id,
		'recorder_name', (SELECT r.name FROM recorders r WHERE r.recorder_id = rs.recorder_id),
		'recording_id', rs.recording_id, 'name', rs.name,
		'start_time', rs.start_time, 'end_time', rs.end_time, 'duration_ns', rs.duration_ns,
		'duration_s', rs.duration_ns / 1e9, 'is_closed', rs.is_closed, 'keep', rs.keep,
		'files', coalesce((SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(rs.object_keys) k
			WHERE k <> 'metadata'), '[]'::jsonb),
		'error', rs.error, 'deleted_at', rs.deleted_at,
		'discovered_at', rs.discovered_at, 'updated_at', rs.updated_at)
$$;
