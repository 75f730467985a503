/*
 * wearable-epts.h: FIFA EPTS tracking files (a text file of frames and its
 * metadata XML, as Metrica Sports writes them), for lib/wearable.c.
 */
#ifndef STINT_WEARABLE_EPTS_H
#define STINT_WEARABLE_EPTS_H

#include <stddef.h>

#include "wearable-sample.h"

/*
 * Parse EPTS tracking data (data, n bytes: one frame a line) described by
 * the metadata XML (meta, meta_n bytes) into one track a player, labelled
 * "<team name>_<shirt number>" in lower case with blanks as "_"
 * ("team_a_1"). The metadata's DataFormatSpecification says how a line
 * splits (StringRegister frameCount, nested SplitRegisters with their
 * separators, PlayerChannelRef/BallChannelRef leaves); PlayerChannels map
 * each reference to a player and a channel (x, y, s = speed m/s); Players
 * give teams and shirt numbers; FrameRate (default 25) gives t_s = frame /
 * rate; FieldSize (default 105 x 68 m) scales the x, y fractions. "NaN"
 * gives NAN; the ball is left out. Returns 0, or -1 with "line N: reason"
 * (a line that does not split as the metadata says, a value that is not a
 * number) or "metadata line N: reason" in err.
 * Format: FIFA EPTS data transfer standard (FIFADataTransferFormatEPTS.xsd);
 * kloppy's epts deserializer.
 */
int stint_wearable_parse_epts(const char *data, size_t n, const char *meta, size_t meta_n, stint_tracks *out,
			      char *err, size_t errsize);

#endif
