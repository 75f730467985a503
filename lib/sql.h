/*
 * sql.h: the statement catalogue. Every SQL statement Stint's C code runs
 * is here, with its parameter count; nothing else builds SQL. Statements
 * return JSON text built by PostgreSQL where the caller only passes it on.
 *
 * X(id, number of parameters, text)
 */
#ifndef STINT_SQL_H
#define STINT_SQL_H

#define STINT_SESSION_FILTER \
	" FROM sessions s WHERE ($1::text IS NULL OR (s.title || ' ' || s.venue)" \
	" ILIKE '%' || stint_like_escape($1) || '%')" \
	" AND ($2::text IS NULL OR s.status = $2) AND ($3::text IS NULL OR s.kind = $3)"

#define STINT_SQL_CATALOGUE(X) \
	X(BEGIN, 0, "BEGIN") \
	X(COMMIT, 0, "COMMIT") \
	X(ROLLBACK, 0, "ROLLBACK") \
	X(PING, 0, "SELECT 1") \
	/* q, status, kind, limit, offset -> one JSON page */ \
	X(SESSION_LIST, 5, \
	  "SELECT json_build_object('items', coalesce((SELECT json_agg(j) FROM (" \
	  "SELECT stint_session_json(s) AS j" STINT_SESSION_FILTER \
	  " ORDER BY coalesce(s.starts_at, s.created_at) DESC, s.id LIMIT $4 OFFSET $5) p), '[]')," \
	  " 'total', (SELECT count(*)" STINT_SESSION_FILTER "), 'limit', $4::int, 'offset', $5::int)::text") \
	X(SESSION_GET, 1, "SELECT stint_session_detail_json($1::uuid)::text") \
	/* body (validated JSON object), owner_id */ \
	X(SESSION_CREATE, 2, \
	  "INSERT INTO sessions (title, kind, venue, status, starts_at, ends_at, meta, data, owner_id)" \
	  " SELECT b->>'title', coalesce(b->>'kind', 'other'), coalesce(b->>'venue', '')," \
	  " coalesce(b->>'status', 'planned'), (b->>'starts_at')::timestamptz," \
	  " (b->>'ends_at')::timestamptz, coalesce(b->'meta', '{}'), coalesce(b->'data', '{}'), $2::bigint" \
	  " FROM (SELECT $1::jsonb AS b) x RETURNING id::text") \
	/* id, patch (validated JSON object: only the keys present change) */ \
	X(SESSION_PATCH, 2, \
	  "UPDATE sessions SET" \
	  " title = CASE WHEN $2::jsonb ? 'title' THEN $2::jsonb->>'title' ELSE title END," \
	  " kind = CASE WHEN $2::jsonb ? 'kind' THEN $2::jsonb->>'kind' ELSE kind END," \
	  " venue = CASE WHEN $2::jsonb ? 'venue' THEN coalesce($2::jsonb->>'venue', '') ELSE venue END," \
	  " status = CASE WHEN $2::jsonb ? 'status' THEN $2::jsonb->>'status' ELSE status END," \
	  " starts_at = CASE WHEN $2::jsonb ? 'starts_at' THEN ($2::jsonb->>'starts_at')::timestamptz ELSE starts_at END," \
	  " ends_at = CASE WHEN $2::jsonb ? 'ends_at' THEN ($2::jsonb->>'ends_at')::timestamptz ELSE ends_at END," \
	  " meta = CASE WHEN $2::jsonb ? 'meta' THEN $2::jsonb->'meta' ELSE meta END," \
	  " data = CASE WHEN $2::jsonb ? 'data' THEN $2::jsonb->'data' ELSE data END" \
	  " WHERE id = $1::uuid RETURNING id::text") \
	X(SESSION_ARCHIVE, 1, "SELECT stint_session_archive($1::uuid)") \
	X(SESSION_RESTORE, 1, "SELECT stint_session_restore($1::uuid)") \
	X(SESSION_BACKUP_TITLE, 1, \
	  "SELECT title FROM backups WHERE session_id = $1::uuid AND restored_at IS NULL" \
	  " ORDER BY id DESC LIMIT 1")

typedef enum stint_sql {
#define STINT_SQL_ENUM(id, n, text) STINT_SQL_##id,
	STINT_SQL_CATALOGUE(STINT_SQL_ENUM)
#undef STINT_SQL_ENUM
	STINT_SQL__COUNT
} stint_sql;

#endif
