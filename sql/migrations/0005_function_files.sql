-- 0005_function_files: every function now has one definition in
-- sql/functions/, applied by the migrator after the migrations. Drop the
-- earlier archive versions that 0003 and 0004 renamed and wrapped (in a
-- database made before; a new one never had them).
DROP FUNCTION IF EXISTS stint_session_document_1(uuid), stint_session_document_2(uuid),
	stint_session_restore_rows_1(jsonb), stint_session_restore_rows_2(jsonb);
