/* test_apple_secret — Sign in with Apple client secrets (core/apple_secret.h): for a fresh
 * P-256 key in PKCS #8 PEM (what TestGenerateAppleClientSecret feeds PocketBase) the token has
 * golang-jwt's exact header and RegisteredClaims bytes and an R||S signature that verifies
 * with the public key; SEC 1 keys are accepted as jwt.ParseECPrivateKeyFromPEM does; the
 * form's privateKey pattern; and the error texts for a missing PEM block, an RSA key and a
 * P-384 key. */
#include "core/apple_secret.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdlib.h>

#include "core/base64url.h"
#include "test.h"

static EVP_PKEY *gen_key(const char *curve_or_rsa)
{
	EVP_PKEY *k = strcmp(curve_or_rsa, "RSA") == 0 ? EVP_RSA_gen(2048) : EVP_EC_gen(curve_or_rsa);
	return k;
}

/* PEM text of k: PKCS #8 ("PRIVATE KEY") or the traditional form ("EC PRIVATE KEY"). */
static char *pem_of(EVP_PKEY *k, bool pkcs8)
{
	BIO *b = BIO_new(BIO_s_mem());
	if (pkcs8)
		PEM_write_bio_PKCS8PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
	else
		PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL, 0, NULL, NULL);
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);
	char *out = strndup(data, (size_t)n);
	BIO_free(b);
	return out;
}

static char *segment(const char *token, int index, size_t *len)
{
	const char *p = token;
	for (int i = 0; i < index; i++)
		p = strchr(p, '.') + 1;
	const char *end = strchr(p, '.');
	size_t n = end ? (size_t)(end - p) : strlen(p);
	return (char *)pb_base64url_decode(p, n, len);
}

static bool verifies(EVP_PKEY *k, const char *token)
{
	const char *last = strrchr(token, '.');
	size_t siglen = 0;
	unsigned char *sig = (unsigned char *)segment(token, 2, &siglen);
	unsigned char digest[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)token, (size_t)(last - token), digest);
	ECDSA_SIG *s = ECDSA_SIG_new();
	ECDSA_SIG_set0(s, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
	unsigned char *der = NULL;
	int derlen = i2d_ECDSA_SIG(s, &der);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
	bool ok = siglen == 64 && EVP_PKEY_verify_init(ctx) == 1 &&
	          EVP_PKEY_verify(ctx, der, (size_t)derlen, digest, sizeof digest) == 1;
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(s);
	free(sig);
	return ok;
}

static void valid_key(bool pkcs8)
{
	EVP_PKEY *k = gen_key("P-256");
	char *pem = pem_of(k, pkcs8);
	struct pb_error err = PB_ERROR_INIT;
	char *tok = pb_apple_client_secret("com.example.app", "1234567890", "1234567891", pem, 3600, 1700000000, &err);
	CHECK(tok != NULL);
	if (tok) {
		size_t n;
		char *h = segment(tok, 0, &n), *c = segment(tok, 1, &n);
		CHECK_STR(h, "{\"alg\":\"ES256\",\"kid\":\"1234567891\",\"typ\":\"JWT\"}");
		CHECK_STR(c, "{\"iss\":\"1234567890\",\"sub\":\"com.example.app\",\"aud\":[\"https://appleid.apple.com\"],"
		             "\"exp\":1700003600,\"iat\":1700000000}");
		CHECK(verifies(k, tok));
		free(h);
		free(c);
		free(tok);
	}
	pb_error_clear(&err);
	free(pem);
	EVP_PKEY_free(k);
}

static void expect_error(const char *pem, const char *message)
{
	struct pb_error err = PB_ERROR_INIT;
	char *tok = pb_apple_client_secret("c", "1234567890", "1234567891", pem, 1, 1700000000, &err);
	CHECK(tok == NULL);
	free(tok);
	CHECK_STR(err.message, message);
	pb_error_clear(&err);
}

static void bad_keys(void)
{
	expect_error("invalid", "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key");
	EVP_PKEY *rsa = gen_key("RSA");
	char *pem = pem_of(rsa, true);
	expect_error(pem, "key is not a valid ECDSA private key");
	free(pem);
	EVP_PKEY_free(rsa);
	EVP_PKEY *p384 = gen_key("P-384");
	pem = pem_of(p384, true);
	expect_error(pem, "key is invalid");
	free(pem);
	EVP_PKEY_free(p384);
}

static void format_rule(void)
{
	CHECK(pb_apple_private_key_format_ok("-----BEGIN PRIVATE KEY-----\nMIG...\n-----END PRIVATE KEY-----"));
	CHECK(pb_apple_private_key_format_ok("junk -----BEGIN PRIVATE KEY----x-----END PRIVATE KEY----- junk"));
	CHECK(!pb_apple_private_key_format_ok("-----BEGIN PRIVATE KEY----" "-----END PRIVATE KEY-----"));
	CHECK(!pb_apple_private_key_format_ok("-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----"));
	CHECK(!pb_apple_private_key_format_ok("invalid"));
}

int main(void)
{
	valid_key(true);
	valid_key(false);
	bad_keys();
	format_rule();
	TEST_DONE();
}
