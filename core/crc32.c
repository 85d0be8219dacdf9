/* crc32 — CRC-32/IEEE, bit by bit (see crc32.h). */
#include "core/crc32.h"

#include <stdio.h>
#include <string.h>

uint32_t pb_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t crc = 0xFFFFFFFFu;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return crc ^ 0xFFFFFFFFu;
}

char *pb_crc32_id(const char *prefix, const char *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s%u", prefix ? prefix : "", (unsigned)pb_crc32(s, s ? strlen(s) : 0));
	return out;
}
