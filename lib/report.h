/*
 * report.h: the team report's files from its metrics (issue 12): the
 * self-contained HTML page (templates/report.mustache and its report-*
 * partials, inline CSS and SVG charts, no external request, A4 print
 * styles), and metrics.csv. bin/stint-report builds the metrics (the
 * document it also writes as metrics.json; its shape is in docs/report.md)
 * and calls these.
 *
 * The page's view is built here from the metrics: numbers formatted for
 * reading, the SVG charts written by this file with every text escaped
 * (stint_html_txt), and the footnotes that give each formula's source.
 */
#ifndef STINT_REPORT_H
#define STINT_REPORT_H

#include <cjson/cJSON.h>

#include "buf.h"

/*
 * Render the report page of metrics (the metrics.json document) into out
 * (appended) with the loaded templates (stint_view_load). Returns 0, or -1
 * with the reason in err.
 */
int stint_report_html(const cJSON *metrics, stint_buf *out, stint_buf *err);

/*
 * metrics.csv of metrics into out (appended): a header line and one line
 * per player (RFC 4180; a text cell starting with =, +, -, @ gets a leading
 * ' so that a spreadsheet never reads it as a formula). Returns 0, or -1 on
 * out of memory.
 */
int stint_report_csv(const cJSON *metrics, stint_buf *out);

#endif
