/* apple_secret — ES256 client secrets for Sign in with Apple (see apple_secret.h). */
#include "core/apple_secret.h"

#include <ctype.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64url.h"
#include "core/json_write.h"
#include "core/strbuf.h"

#define BEGIN_MARK "-----BEGIN PRIVATE KEY----"
#define END_MARK "-----END PRIVATE KEY-----"

bool pb_apple_private_key_format_ok(const char *s)
{
	const char *b = strstr(s, BEGIN_MARK);
	if (!b)
		return false;
	/* [\s\S]+ needs at least one byte between the two markers */
	const char *after = b + strlen(BEGIN_MARK);
	return *after && strstr(after + 1, END_MARK) != NULL;
}

/* jwt.ParseECPrivateKeyFromPEM: the first PEM block's DER as SEC 1, then as PKCS #8. */
static EVP_PKEY *parse_key(const char *pem, size_t len, struct pb_error *err)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long der_len = 0;
	EVP_PKEY *key = NULL;
	if (!bio || !PEM_read_bio(bio, &name, &header, &der, &der_len)) {
		pb_error_set(err, 400, "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key");
		goto done;
	}
	const unsigned char *p = der;
	key = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, der_len);
	if (!key) {
		p = der;
		PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, der_len);
		if (p8) {
			key = EVP_PKCS82PKEY(p8);
			PKCS8_PRIV_KEY_INFO_free(p8);
		}
	}
	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		EVP_PKEY_free(key);
		key = NULL;
		pb_error_set(err, 400, "key is not a valid ECDSA private key");
	}
done:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(der);
	BIO_free(bio);
	return key;
}

static bool is_p256(EVP_PKEY *key)
{
	char group[64];
	size_t glen = 0;
	if (!EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &glen))
		return false;
	return strcmp(group, SN_X9_62_prime256v1) == 0;
}

/* ECDSA over SHA-256 of msg as the JWS R||S (32 bytes each). Returns 0 or -1. */
static int sign_es256(EVP_PKEY *key, const char *msg, size_t len, unsigned char out[64])
{
	int rc = -1;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	size_t der_len = 0;
	ECDSA_SIG *sig = NULL;
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, NULL, &der_len, (const unsigned char *)msg, len) != 1)
		goto done;
	der = OPENSSL_malloc(der_len);
	if (!der || EVP_DigestSign(md, der, &der_len, (const unsigned char *)msg, len) != 1)
		goto done;
	const unsigned char *p = der;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!sig)
		goto done;
	const BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, out, 32) != 32 || BN_bn2binpad(s, out + 32, 32) != 32)
		goto done;
	rc = 0;
done:
	ECDSA_SIG_free(sig);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return rc;
}

static void segment(struct pb_strbuf *out, const json_t *v)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_json_write(&b, v);
	pb_base64url_encode(out, b.data, b.len);
	pb_strbuf_deinit(&b);
}

char *pb_apple_client_secret(const char *client_id, const char *team_id, const char *key_id, const char *pem,
                             int64_t duration_s, int64_t now_s, struct pb_error *err)
{
	size_t len = strlen(pem);
	while (len && isspace((unsigned char)*pem))
		pem++, len--;
	while (len && isspace((unsigned char)pem[len - 1]))
		len--;
	EVP_PKEY *key = parse_key(pem, len, err);
	if (!key)
		return NULL;
	char *token = NULL;
	if (!is_p256(key)) {
		pb_error_set(err, 400, "key is invalid");
		goto done;
	}
	/* header: a Go map (sorted keys); claims: jwt.RegisteredClaims in struct order */
	json_t *header = json_pack("{s:s, s:s, s:s}", "alg", "ES256", "kid", key_id, "typ", "JWT");
	json_t *claims = json_pack("{s:s, s:s, s:[s], s:I, s:I}", "iss", team_id, "sub", client_id, "aud",
	                           "https://appleid.apple.com", "exp", (json_int_t)(now_s + duration_s), "iat",
	                           (json_int_t)now_s);
	if (!header || !claims) {
		json_decref(header);
		json_decref(claims);
		pb_error_set(err, 400, "invalid client secret data");
		goto done;
	}
	struct pb_strbuf t = PB_STRBUF_INIT;
	segment(&t, header);
	pb_strbuf_putc(&t, '.');
	segment(&t, claims);
	json_decref(header);
	json_decref(claims);
	unsigned char sig[64];
	if (sign_es256(key, t.data, t.len, sig) != 0) {
		pb_error_set(err, 400, "failed to sign the token");
		pb_strbuf_deinit(&t);
		goto done;
	}
	pb_strbuf_putc(&t, '.');
	pb_base64url_encode(&t, sig, sizeof sig);
	token = strdup(pb_strbuf_cstr(&t));
	pb_strbuf_deinit(&t);
	if (!token)
		abort();
done:
	EVP_PKEY_free(key);
	return token;
}
