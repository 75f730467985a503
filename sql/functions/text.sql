-- Text helpers.

-- Escape LIKE metacharacters so user text matches literally.
CREATE OR REPLACE FUNCTION stint_like_escape(q text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_')
$$;

-- One CSV text cell: every text cell of a CSV Stint writes (export/events.csv,
-- export/rollup.csv) goes through here. Safe to open in a spreadsheet
-- (OWASP's CSV-injection guidance): a cell starting with =, +, -, @, tab or
-- carriage return could run as a formula, so it gets a leading single quote
-- and reads as text (even "-5": text that looks like a number stays text).
-- Then RFC 4180: quoted when it holds a quote, comma or line end, and also a
-- ; or tab (list separators in some locales: they must not start a new cell).
-- Numbers are not text cells: callers write them bare (t_sec::text).
CREATE OR REPLACE FUNCTION stint_csv_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN c ~ '[",;\t\r\n]' THEN '"' || replace(c, '"', '""') || '"' ELSE c END
	FROM (SELECT CASE WHEN v IS NULL THEN ''
		WHEN v ~ '^[-=+@\t\r]' THEN '''' || v
		ELSE v END) AS cell (c)
$$;
