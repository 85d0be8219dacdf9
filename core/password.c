/* password — bcrypt via libxcrypt's crypt_gensalt_rn/crypt_r (see password.h). */
#include "core/password.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

int pb_password_hash(const char *plain, int cost, char *out, size_t cap, struct pb_error *err)
{
	if (cost <= 0)
		cost = PB_BCRYPT_DEFAULT_COST;
	if (cost < 4 || cost > 31)
		return pb_error_set(err, 400, "bcrypt: cost %d is outside the allowed range (4,31)", cost);
	if (strlen(plain) > PB_BCRYPT_MAX_BYTES)
		return pb_error_set(err, 400, "bcrypt: password length exceeds 72 bytes");
	if (cap < PB_BCRYPT_HASH_LEN + 1)
		return pb_error_set(err, 500, "bcrypt: output buffer too small");
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!crypt_gensalt_rn("$2a$", (unsigned long)cost, NULL, 0, salt, sizeof salt))
		return pb_error_set(err, 500, "bcrypt: failed to generate a salt");
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return pb_error_set(err, 500, "bcrypt: out of memory");
	const char *h = crypt_r(plain, salt, cd);
	int rc = 0;
	if (!h || h[0] != '$' || strlen(h) != PB_BCRYPT_HASH_LEN)
		rc = pb_error_set(err, 500, "bcrypt: hashing failed");
	else
		memcpy(out, h, PB_BCRYPT_HASH_LEN + 1);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return rc;
}

bool pb_password_verify(const char *plain, const char *hash)
{
	if (!plain || !hash || strncmp(hash, "$2", 2) != 0 || strlen(hash) != PB_BCRYPT_HASH_LEN)
		return false;
	/* like Go's CompareHashAndPassword, only the first 72 bytes take part */
	char key[PB_BCRYPT_MAX_BYTES + 1];
	size_t n = strlen(plain);
	if (n > PB_BCRYPT_MAX_BYTES)
		n = PB_BCRYPT_MAX_BYTES;
	memcpy(key, plain, n);
	key[n] = '\0';
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return false;
	const char *h = crypt_r(key, hash, cd);
	bool ok = false;
	if (h && strlen(h) == PB_BCRYPT_HASH_LEN) {
		/* constant-time comparison */
		unsigned char diff = 0;
		for (size_t i = 0; i < PB_BCRYPT_HASH_LEN; i++)
			diff |= (unsigned char)(h[i] ^ hash[i]);
		ok = diff == 0;
	}
	explicit_bzero(cd, sizeof *cd);
	explicit_bzero(key, sizeof key);
	free(cd);
	return ok;
}
