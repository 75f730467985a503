-- stint_player_acwr takes the acute and chronic windows (p_acute, p_chronic,
-- defaults 7 and 28) so that the team report and the surveys API share one
-- definition of the acute:chronic workload ratios with a team's own windows
-- (load_thresholds.acute_days/chronic_days). A new parameter list is a new
-- function for PostgreSQL: drop the old one; sql/functions/surveys.sql
-- creates the new one after the migrations.
DROP FUNCTION IF EXISTS stint_player_acwr(text, date);
