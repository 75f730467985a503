/*
 * livepub.h: the re-publisher's step (bin/stint-livepub): deliver the live
 * messages that were stored but that nchan did not take (lib/live.h), each
 * session's in order.
 */
#ifndef STINT_LIVEPUB_H
#define STINT_LIVEPUB_H

#include "db.h"

/*
 * Deliver messages older than min_age_s (seconds) that are still
 * unpublished: in one stint_tx, claim up to 500 with FOR UPDATE SKIP LOCKED
 * (so several re-publishers may run), publish them oldest first and mark
 * those nchan took. A session whose message nchan refused keeps the rest
 * for the next step, so its order is never broken. Returns how many were
 * published, -1 on a database error.
 */
long stint_livepub_step(stint_db *db, double min_age_s);

#endif
