/* aesgcm — AES-GCM sealing of the settings document with OpenSSL EVP (see aesgcm.h). */
#include "core/aesgcm.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const EVP_CIPHER *cipher_for(const char *key, struct pb_error *err)
{
	size_t n = strlen(key);
	switch (n) {
	case 16: return EVP_aes_128_gcm();
	case 24: return EVP_aes_192_gcm();
	case 32: return EVP_aes_256_gcm();
	default: pb_error_set(err, 500, "crypto/aes: invalid key size %zu", n); return NULL;
	}
}

static char *b64_encode(const unsigned char *in, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1), *w = out;
	if (!out)
		abort();
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
		*w++ = tbl[v >> 18 & 63];
		*w++ = tbl[v >> 12 & 63];
		*w++ = i + 1 < n ? tbl[v >> 6 & 63] : '=';
		*w++ = i + 2 < n ? tbl[v & 63] : '=';
	}
	*w = '\0';
	return out;
}

static int b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* base64.StdEncoding.DecodeString: groups of four, '=' padding only in the last group, CR and
 * LF skipped anywhere. Returns a malloc'ed buffer or NULL. */
static unsigned char *b64_decode(const char *in, size_t n, size_t *out_len)
{
	unsigned char *out = malloc(n / 4 * 3 + 3), *w = out;
	if (!out)
		abort();
	int quad[4], q = 0, pad = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '\r' || c == '\n')
			continue;
		if (pad && c != '=')
			goto bad; /* data after padding */
		if (c == '=') {
			if (q < 2)
				goto bad;
			pad++;
			quad[q++] = 0;
		} else {
			int v = b64_val(c);
			if (v < 0)
				goto bad;
			quad[q++] = v;
		}
		if (q == 4) {
			unsigned v = (unsigned)quad[0] << 18 | (unsigned)quad[1] << 12 | (unsigned)quad[2] << 6 | (unsigned)quad[3];
			*w++ = (unsigned char)(v >> 16);
			if (pad < 2)
				*w++ = (unsigned char)(v >> 8);
			if (pad < 1)
				*w++ = (unsigned char)v;
			q = 0;
			if (pad)
				pad = 3; /* any further byte is an error */
		}
	}
	if (q != 0)
		goto bad;
	*out_len = (size_t)(w - out);
	return out;
bad:
	free(out);
	return NULL;
}

char *pb_aesgcm_encrypt(const void *data, size_t len, const char *key, struct pb_error *err)
{
	const EVP_CIPHER *cipher = cipher_for(key, err);
	if (!cipher)
		return NULL;
	size_t total = PB_AESGCM_NONCE_LEN + len + PB_AESGCM_TAG_LEN;
	unsigned char *buf = malloc(total);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	char *out = NULL;
	int n = 0, fin = 0;
	if (!buf || !ctx)
		abort();
	if (RAND_bytes(buf, PB_AESGCM_NONCE_LEN) != 1 || len > (size_t)INT32_MAX ||
	    EVP_EncryptInit_ex(ctx, cipher, NULL, (const unsigned char *)key, buf) != 1 ||
	    EVP_EncryptUpdate(ctx, buf + PB_AESGCM_NONCE_LEN, &n, data, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, buf + PB_AESGCM_NONCE_LEN + n, &fin) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, PB_AESGCM_TAG_LEN, buf + PB_AESGCM_NONCE_LEN + len) != 1) {
		pb_error_set(err, 500, "failed to encrypt the settings");
		goto done;
	}
	out = b64_encode(buf, total);
done:
	EVP_CIPHER_CTX_free(ctx);
	free(buf);
	return out;
}

unsigned char *pb_aesgcm_decrypt(const char *b64, size_t b64_len, const char *key, size_t *out_len,
                                 struct pb_error *err)
{
	const EVP_CIPHER *cipher = cipher_for(key, err);
	if (!cipher)
		return NULL;
	size_t raw_len = 0;
	unsigned char *raw = b64_decode(b64, b64_len, &raw_len);
	if (!raw) {
		pb_error_set(err, 500, "illegal base64 data");
		return NULL;
	}
	if (raw_len < PB_AESGCM_NONCE_LEN + PB_AESGCM_TAG_LEN || raw_len > (size_t)INT32_MAX) {
		free(raw);
		pb_error_set(err, 500, "cipher: message authentication failed");
		return NULL;
	}
	size_t ct_len = raw_len - PB_AESGCM_NONCE_LEN - PB_AESGCM_TAG_LEN;
	unsigned char *plain = malloc(ct_len + 1);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!plain || !ctx)
		abort();
	int n = 0, fin = 0;
	unsigned char *tag = raw + PB_AESGCM_NONCE_LEN + ct_len;
	if (EVP_DecryptInit_ex(ctx, cipher, NULL, (const unsigned char *)key, raw) != 1 ||
	    EVP_DecryptUpdate(ctx, plain, &n, raw + PB_AESGCM_NONCE_LEN, (int)ct_len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, PB_AESGCM_TAG_LEN, tag) != 1 ||
	    EVP_DecryptFinal_ex(ctx, plain + n, &fin) != 1) {
		pb_error_set(err, 500, "cipher: message authentication failed");
		free(plain);
		plain = NULL;
	} else {
		plain[ct_len] = '\0';
		*out_len = ct_len;
	}
	EVP_CIPHER_CTX_free(ctx);
	free(raw);
	return plain;
}
