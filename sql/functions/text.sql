-- Text helpers.

-- Escape LIKE metacharacters so user text matches literally.
CREATE OR REPLACE FUNCTION stint_like_escape(q text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_')
$$;

-- One CSV field (RFC 4180): quoted when it holds a comma, quote or line end.
CREATE OR REPLACE FUNCTION stint_csv_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v IS NULL THEN ''
		WHEN v ~ '[",\r\n]' THEN '"' || replace(v, '"', '""') || '"'
		ELSE v END
$$;
