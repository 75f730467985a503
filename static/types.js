// types.js: an event type a person typed ("Time out", "free-kick") in the
// stored form ("time_out", "free_kick"), as lib/labels.c normalises it on the
// server: letters lower-cased, each run of spaces, '-' and '_' one '_'.
// Returns '' when the text holds anything else or starts with a digit.

/** The stored form of typed, or '' when it cannot be one. */
export function normaliseType(typed) {
  const t = typed.trim().toLowerCase().replace(/[\s_-]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z][a-z0-9_]{0,39}$/.test(t) ? t : '';
}
