/* crc32 — CRC-32/IEEE (the zlib/Go hash/crc32 ChecksumIEEE polynomial 0xEDB88320, reflected,
 * init and final xor 0xFFFFFFFF). PocketBase derives default collection ids ("pbc_" + the
 * checksum of type+name) and field ids (type + the checksum of the name) from it, printed as
 * an unsigned decimal. Computed bitwise: no table, no state. */
#ifndef POCKETC_CORE_CRC32_H
#define POCKETC_CORE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* The checksum of `len` bytes of `data` (borrowed; may be NULL when len is 0). */
uint32_t pb_crc32(const void *data, size_t len);

/* Writes `prefix` + decimal crc32 of `s` (both borrowed, NUL-terminated) into out (cap bytes,
 * truncated like snprintf). Returns out. */
char *pb_crc32_id(const char *prefix, const char *s, char *out, size_t cap);

#endif
