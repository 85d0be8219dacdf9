/* test_jwt — base64url (core/base64url.c) and HS256 tokens (core/jwt.c): known vectors from
 * PocketBase's tools/security/jwt_test.go and RFC 7515 A.1, Go-exact claims encoding, tampering,
 * foreign algorithms, malformed tokens and golang-jwt's exp/nbf/iat rules. The expected outcomes
 * of test_time_claims and the number formats of test_claims_encoding were checked against
 * golang-jwt v5.3.1 and Go's encoding/json. */
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64url.h"
#include "core/jwt.h"
#include "tests/unit/test.h"

static char *b64(const char *s, size_t n)
{
	struct pb_strbuf b = PB_STRBUF_INIT;
	pb_base64url_encode(&b, s, n);
	return pb_strbuf_steal(&b);
}

/* Decoded text of `s` or NULL; caller frees. */
static char *unb64(const char *s)
{
	size_t n;
	return (char *)pb_base64url_decode(s, strlen(s), &n);
}

/* A token with arbitrary header/payload JSON text, HS256-signed with `key` by OpenSSL directly. */
static char *hand_token(const char *header, const char *payload, const char *key)
{
	struct pb_strbuf t = PB_STRBUF_INIT;
	pb_base64url_encode(&t, header, strlen(header));
	pb_strbuf_putc(&t, '.');
	pb_base64url_encode(&t, payload, strlen(payload));
	unsigned char mac[32];
	unsigned len = 0;
	HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)t.data, t.len, mac, &len);
	pb_strbuf_putc(&t, '.');
	pb_base64url_encode(&t, mac, len);
	return pb_strbuf_steal(&t);
}

/* The payload segment of a token, decoded; caller frees. */
static char *payload_of(const char *token)
{
	const char *a = strchr(token, '.'), *b = a ? strchr(a + 1, '.') : NULL;
	if (!b)
		return NULL;
	size_t n;
	return (char *)pb_base64url_decode(a + 1, (size_t)(b - a - 1), &n);
}

static void test_base64url(void)
{
	static const struct {
		const char *plain, *enc;
	} v[] = {{"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
	         {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}, {"\xff\xfe\xfd", "__79"}};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *e = b64(v[i].plain, strlen(v[i].plain));
		CHECK_STR(e, v[i].enc);
		CHECK(pb_base64url_encoded_len(strlen(v[i].plain)) == strlen(v[i].enc));
		free(e);
		char *d = unb64(v[i].enc);
		CHECK_STR(d, v[i].plain);
		free(d);
	}
	size_t n = 99;
	unsigned char *d = pb_base64url_decode("AAE", 3, &n); /* embedded zero byte */
	CHECK(d && n == 2 && d[0] == 0 && d[1] == 1 && d[2] == 0);
	free(d);
	/* invalid: single trailing char, padding, standard-alphabet chars, spaces, dots */
	const char *bad[] = {"Z", "Zm9vY", "Zg==", "Zg=", "Zm+v", "Zm/v", "Zm 9v", "Zm.v"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = 99;
		d = pb_base64url_decode(bad[i], strlen(bad[i]), &n);
		CHECK(d == NULL && n == 99);
		free(d);
	}
	/* Go's non-strict decoding: unused trailing bits are ignored, CR/LF are skipped */
	char *s = unb64("Zh");
	CHECK_STR(s, "f");
	free(s);
	s = unb64("Zm9\r\nvYg");
	CHECK_STR(s, "foob");
	free(s);
}

static const char pb_simple[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoidGVzdCJ9."
                                "ml0QsTms3K9wMygTu41ZhKlTyjmW9zHQtoS8FUsCCjU"; /* {"name":"test"}, key "test" */
static const char pb_expired[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoidGVzdCIsImV4cCI6MTUxNjIzOTAyMn0."
                                 "xYHirwESfSEW3Cq2BL47CEASvD_p_ps3QCA54XtNktU"; /* exp 1516239022 */
static const char pb_valid[] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoidGVzdCIsImV4cCI6MjUyNDYwNDQ2MX0."
                               "VIEO73GP5QRQOSfHgQhaqeuYqcx59vL3xlxmFP-fytQ"; /* exp 2524604461 */
#define NOW 1700000000

static void test_pocketbase_vectors(void)
{
	/* signing {"name":"test"} with "test" gives PocketBase's token byte for byte */
	json_t *c = json_pack("{s:s}", "name", "test");
	char *t = pb_jwt_sign_hs256(c, "test", 4);
	CHECK_STR(t, pb_simple);
	free(t);
	json_decref(c);

	CHECK(pb_jwt_verify_hs256(pb_simple, "test", 4, NOW) == 0);
	CHECK(pb_jwt_verify_hs256(pb_simple, "tesT", 4, NOW) == -1);
	CHECK(pb_jwt_verify_hs256(pb_expired, "test", 4, NOW) == -1);
	CHECK(pb_jwt_verify_hs256(pb_expired, "invalid", 7, NOW) == -1);
	CHECK(pb_jwt_verify_hs256(pb_expired, "test", 4, 1516239021) == 0); /* signature itself is fine */
	CHECK(pb_jwt_verify_hs256(pb_expired, "test", 4, 1516239022) == -1); /* exp == now: expired */
	CHECK(pb_jwt_verify_hs256(pb_valid, "test", 4, NOW) == 0);
	CHECK(pb_jwt_verify_hs256(pb_valid, "invalid", 7, NOW) == -1);
	CHECK(pb_jwt_verify_hs256(pb_valid, "test", 3, NOW) == -1); /* keylen is honoured */

	json_t *claims = NULL;
	CHECK(pb_jwt_verify_hs256_claims(pb_valid, "test", 4, NOW, &claims) == 0);
	CHECK(json_object_size(claims) == 2);
	CHECK_STR(json_string_value(json_object_get(claims, "name")), "test");
	CHECK(json_is_real(json_object_get(claims, "exp")) && json_real_value(json_object_get(claims, "exp")) == 2524604461.0);
	json_decref(claims);
	claims = (json_t *)1;
	CHECK(pb_jwt_verify_hs256_claims(pb_valid, "x", 1, NOW, &claims) == -1 && claims == (json_t *)1);

	/* parse without verification: any signature, any time */
	json_t *u = pb_jwt_parse_unverified(pb_expired);
	CHECK(u && json_object_size(u) == 2 && json_number_value(json_object_get(u, "exp")) == 1516239022.0);
	json_decref(u);
	CHECK(pb_jwt_parse_unverified("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoidGVzdCJ9") == NULL);
	CHECK(pb_jwt_verify_hs256("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoidGVzdCJ9", "test", 4, NOW) == -1);
}

/* RFC 7515 Appendix A.1: CRLF-formatted header/payload, a binary 64-byte key. */
static void test_rfc7515(void)
{
	const char *tok = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6"
	                  "Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
	const char *k64 = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
	size_t klen = 0;
	unsigned char *key = pb_base64url_decode(k64, strlen(k64), &klen);
	CHECK(key && klen == 64);
	CHECK(pb_jwt_verify_hs256(tok, (const char *)key, klen, 1300819379) == 0);
	CHECK(pb_jwt_verify_hs256(tok, (const char *)key, klen, 1300819380) == -1);
	CHECK(pb_jwt_verify_hs256(tok, (const char *)key, klen - 1, 1300819379) == -1);
	/* same signature bytes with different unused trailing bits ('k' → 'l'): Go accepts it */
	char *alt = strdup(tok);
	alt[strlen(alt) - 1] = 'l';
	CHECK(pb_jwt_verify_hs256(alt, (const char *)key, klen, 1300819379) == 0);
	alt[strlen(alt) - 1] = 'o'; /* changes a data bit */
	CHECK(pb_jwt_verify_hs256(alt, (const char *)key, klen, 1300819379) == -1);
	free(alt);
	char padded[512];
	snprintf(padded, sizeof padded, "%s=", tok);
	CHECK(pb_jwt_verify_hs256(padded, (const char *)key, klen, 1300819379) == -1);
	free(key);
}

static void test_claims_encoding(void)
{
	/* Go's json.Marshal of the map: sorted keys, HTML escaping, \u2028, Go float format */
	json_t *c = json_object();
	json_object_set_new(c, "type", json_string("auth"));
	json_object_set_new(c, "b", json_string("<a&b>\xe2\x80\xa8\"\\/"));
	json_object_set_new(c, "d", json_string("\x01\n\b\f\t\r\x7f\xc3\xa9"));
	json_object_set_new(c, "a", json_pack("[i,f,f,f,f,f,f,f,f,f,I,f,f,f,f,f,f,f,f]", 1, 2.5, 1e-7, 1e21, 2524604461.0,
	                                      0.000001, 1.5e300, -0.0, 0.1, 123456.789, (json_int_t)123456789012, 1e20,
	                                      123e-9, 5e-324, 1.7976931348623157e308, 0.3, 100.0, 1234567.0, 0.00001234));
	json_object_set_new(c, "c", json_null());
	json_object_set_new(c, "B", json_pack("{s:b,s:b,s:[]}", "y", 1, "x", 0, "e"));
	char *t = pb_jwt_sign_hs256(c, "k", 1);
	char *p = t ? payload_of(t) : NULL;
	CHECK_STR(p, "{\"B\":{\"e\":[],\"x\":false,\"y\":true},"
	             "\"a\":[1,2.5,1e-7,1e+21,2524604461,0.000001,1.5e+300,-0,0.1,123456.789,123456789012,"
	             "100000000000000000000,1.23e-7,5e-324,1.7976931348623157e+308,0.3,100,1234567,0.00001234],"
	             "\"b\":\"\\u003ca\\u0026b\\u003e\\u2028\\\"\\\\/\","
	             "\"c\":null,"
	             "\"d\":\"\\u0001\\n\\b\\f\\t\\r\x7f\xc3\xa9\","
	             "\"type\":\"auth\"}");
	CHECK(t && strncmp(t, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
	CHECK(t && pb_jwt_verify_hs256(t, "k", 1, NOW) == 0);
	free(p);
	free(t);
	json_decref(c);

	/* the auth token PocketBase issues for users/4q1xlclmfloku33 (exp 2524604461); expected
	 * value computed independently with `openssl dgst -sha256 -hmac` over the Go encoding */
	c = json_pack("{s:s,s:s,s:I,s:s,s:b}", "type", "auth", "id", "4q1xlclmfloku33", "exp", (json_int_t)2524604461,
	              "collectionId", "_pb_users_auth_", "refreshable", 1);
	const char *key = "tfYe7rCTX4D2KuWQY3pJjBifgsrMbecyXBatEPjrSfGEGS2jh6"
	                  "PjVU4hAV7CZIWbCByJHkDcMUlSEWCLI6M5aWSZOpEq0a3rYxKT";
	t = pb_jwt_sign_hs256(c, key, strlen(key));
	CHECK_STR(t, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb2xsZWN0aW9uSWQiOiJfcGJfdXNlcnNfYXV0aF8iLCJleHAiOjI1MjQ2MDQ0"
	             "NjEsImlkIjoiNHExeGxjbG1mbG9rdTMzIiwicmVmcmVzaGFibGUiOnRydWUsInR5cGUiOiJhdXRoIn0."
	             "WB87lbva3NjzpSElBBfWifpCd7TnU_yKdjkJZy1U3uU");
	free(t);
	json_decref(c);

	/* empty key and empty claims are allowed (Go test "empty, 10 seconds duration") */
	c = json_object();
	t = pb_jwt_sign_hs256(c, "", 0);
	CHECK(t && pb_jwt_verify_hs256(t, "", 0, NOW) == 0);
	CHECK(t && pb_jwt_verify_hs256(t, "x", 1, NOW) == -1);
	free(t);
	json_decref(c);
	json_t *arr = json_array();
	CHECK(pb_jwt_sign_hs256(arr, "k", 1) == NULL);
	CHECK(pb_jwt_sign_hs256(NULL, "k", 1) == NULL);
	json_decref(arr);
}

static void test_tampering_and_algs(void)
{
	json_t *c = json_pack("{s:s,s:I}", "id", "abc", "exp", (json_int_t)(NOW + 100));
	char *t = pb_jwt_sign_hs256(c, "secret", 6);
	json_decref(c);
	CHECK(pb_jwt_verify_hs256(t, "secret", 6, NOW) == 0);
	char *dot1 = strchr(t, '.'), *dot2 = strchr(dot1 + 1, '.');
	/* flip one payload character and one signature character */
	char *x = strdup(t);
	x[dot1 - t + 5] = x[dot1 - t + 5] == 'A' ? 'B' : 'A';
	CHECK(pb_jwt_verify_hs256(x, "secret", 6, NOW) == -1);
	strcpy(x, t);
	x[dot2 - t + 3] = x[dot2 - t + 3] == 'A' ? 'B' : 'A';
	CHECK(pb_jwt_verify_hs256(x, "secret", 6, NOW) == -1);
	/* payload swapped for another validly encoded one */
	const char *swapped = "{\"id\":\"abd\",\"exp\":1800000000}";
	char *other = b64(swapped, strlen(swapped));
	char buf[512];
	snprintf(buf, sizeof buf, "%.*s.%s%s", (int)(dot1 - t), t, other, dot2);
	json_t *sw = pb_jwt_parse_unverified(buf);
	CHECK_STR(json_string_value(json_object_get(sw, "id")), "abd"); /* well-formed, just not signed */
	json_decref(sw);
	CHECK(pb_jwt_verify_hs256(buf, "secret", 6, NOW) == -1);
	free(other);
	free(x);
	/* signature truncated / extended / missing */
	snprintf(buf, sizeof buf, "%.*s", (int)strlen(t) - 2, t);
	CHECK(pb_jwt_verify_hs256(buf, "secret", 6, NOW) == -1);
	snprintf(buf, sizeof buf, "%sAA", t);
	CHECK(pb_jwt_verify_hs256(buf, "secret", 6, NOW) == -1);
	snprintf(buf, sizeof buf, "%.*s.", (int)(dot2 - t), t);
	CHECK(pb_jwt_verify_hs256(buf, "secret", 6, NOW) == -1);
	free(t);

	/* alg none with an empty signature: structurally fine, never verified */
	const char *hn = "{\"alg\":\"none\",\"typ\":\"JWT\"}", *pn = "{\"id\":\"abc\"}";
	char *h = b64(hn, strlen(hn)), *p = b64(pn, strlen(pn));
	snprintf(buf, sizeof buf, "%s.%s.", h, p);
	json_t *u = pb_jwt_parse_unverified(buf);
	CHECK(u && json_object_size(u) == 1);
	json_decref(u);
	CHECK(pb_jwt_verify_hs256(buf, "", 0, NOW) == -1);
	CHECK(pb_jwt_verify_hs256(buf, "secret", 6, NOW) == -1);
	free(h);
	/* other algorithms, even with a correct HMAC-SHA256 over the segments */
	const char *headers[] = {"{\"alg\":\"HS384\"}", "{\"alg\":\"HS512\"}", "{\"alg\":\"RS256\"}",
	                         "{\"alg\":\"NONE\"}", "{\"alg\":\"hs256\"}", "{\"typ\":\"JWT\"}", "{\"alg\":256}",
	                         "{\"alg\":null}", "[\"HS256\"]", "\"HS256\"", "null", "{\"alg\":\"HS256\""};
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		t = hand_token(headers[i], "{\"id\":\"abc\"}", "secret");
		CHECK(pb_jwt_verify_hs256(t, "secret", 6, NOW) == -1);
		free(t);
	}
	/* HS384/RS256 are known algs: unverified parsing works; made-up ones do not */
	t = hand_token("{\"alg\":\"RS256\"}", "{\"id\":\"abc\"}", "secret");
	u = pb_jwt_parse_unverified(t);
	CHECK(u != NULL);
	json_decref(u);
	free(t);
	t = hand_token("{\"alg\":\"XX\"}", "{\"id\":\"abc\"}", "secret");
	CHECK(pb_jwt_parse_unverified(t) == NULL);
	free(t);
	/* header with alg HS256 only (as the fixture tokens), extra members ignored */
	t = hand_token("{\"alg\":\"HS256\",\"kid\":\"x\",\"typ\":\"foo\"}", "{\"id\":\"abc\"}", "secret");
	CHECK(pb_jwt_verify_hs256(t, "secret", 6, NOW) == 0);
	free(t);
	free(p);
}

static void test_malformed(void)
{
	const char *bad[] = {"", "abc", "a.b", "a.b.c.d", "..", "...", "eyJhbGciOiJIUzI1NiJ9..", "eyJhbGciOiJIUzI1NiJ9.e30",
	                     "eyJhbGciOiJIUzI1NiJ9.e30.", /* valid structure, empty signature */
	                     "eyJhbGciOiJIUzI1NiJ9.e30=.x", "eyJhbGciOiJIUzI1NiJ9.e3.x", "eyJhbGciOiJIUzI1NiJ9.W10.x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(pb_jwt_verify_hs256(bad[i], "k", 1, NOW) == -1);
	CHECK(pb_jwt_verify_hs256(NULL, "k", 1, NOW) == -1);
	CHECK(pb_jwt_parse_unverified(NULL) == NULL);
	CHECK(pb_jwt_parse_unverified("eyJhbGciOiJIUzI1NiJ9.W10.x") == NULL); /* claims [] */
	CHECK(pb_jwt_parse_unverified("eyJhbGciOiJIUzI1NiJ9.e30.x") == NULL); /* "x": one char */
	json_t *u = pb_jwt_parse_unverified("eyJhbGciOiJIUzI1NiJ9.e30.");   /* {} with empty sig */
	CHECK(json_is_object(u) && json_object_size(u) == 0);
	json_decref(u);
	/* claims `null` decode to an empty map in Go and verify */
	char *t = hand_token("{\"alg\":\"HS256\"}", "null", "k");
	CHECK(pb_jwt_verify_hs256(t, "k", 1, NOW) == 0);
	free(t);
	const char *bad_json[] = {"{\"id\":", "{\"id\":1} x", "\"str\"", "123", "[]", "{\"a\":1,}"};
	for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
		t = hand_token("{\"alg\":\"HS256\"}", bad_json[i], "k");
		CHECK(pb_jwt_verify_hs256(t, "k", 1, NOW) == -1);
		free(t);
	}
}

static int verify_claims(const char *payload, int64_t now)
{
	char *t = hand_token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, "k");
	int rc = pb_jwt_verify_hs256(t, "k", 1, now);
	free(t);
	return rc;
}

static void test_time_claims(void)
{
	CHECK(verify_claims("{\"exp\":1000}", 999) == 0);
	CHECK(verify_claims("{\"exp\":1000}", 1000) == -1);
	CHECK(verify_claims("{\"exp\":1000.9}", 999) == 0); /* fraction truncated to the second */
	CHECK(verify_claims("{\"exp\":1000.9}", 1000) == -1);
	CHECK(verify_claims("{\"exp\":1e3}", 999) == 0);
	CHECK(verify_claims("{\"nbf\":1000}", 999) == -1);
	CHECK(verify_claims("{\"nbf\":1000}", 1000) == 0);
	CHECK(verify_claims("{\"nbf\":1000.5}", 1000) == 0);
	CHECK(verify_claims("{\"iat\":1000}", 999) == -1);
	CHECK(verify_claims("{\"iat\":1000}", 1000) == 0);
	CHECK(verify_claims("{\"exp\":2000,\"nbf\":1000,\"iat\":1000}", 1500) == 0);
	CHECK(verify_claims("{\"exp\":2000,\"nbf\":1600,\"iat\":1000}", 1500) == -1);
	CHECK(verify_claims("{\"exp\":2000,\"nbf\":1000,\"iat\":1600}", 1500) == -1);
	/* zero means absent in golang-jwt v5.3.1; non-numbers are invalid */
	CHECK(verify_claims("{\"exp\":0}", NOW) == 0);
	CHECK(verify_claims("{\"exp\":-0.0}", NOW) == 0);
	CHECK(verify_claims("{\"nbf\":0,\"iat\":0}", NOW) == 0);
	CHECK(verify_claims("{\"exp\":-1}", NOW) == -1);
	CHECK(verify_claims("{\"exp\":\"2524604461\"}", NOW) == -1);
	CHECK(verify_claims("{\"exp\":null}", NOW) == -1);
	CHECK(verify_claims("{\"nbf\":true}", NOW) == -1);
	CHECK(verify_claims("{\"iat\":[1]}", NOW) == -1);
	/* integers beyond int64 decode like Go's float64 */
	CHECK(verify_claims("{\"exp\":25246044610000000}", NOW) == 0);
	CHECK(verify_claims("{\"nbf\":99999999999999999999999}", NOW) == 0); /* int64 overflow: far past (amd64 Go) */
	CHECK(verify_claims("{\"exp\":1e300}", NOW) == -1);
	CHECK(verify_claims("{\"nbf\":-1e300}", NOW) == 0);
	CHECK(verify_claims("{\"exp\":9223372036854775807}", NOW) == -1);
	/* Go adds the year-1 offset to the seconds and wraps around near INT64_MAX */
	CHECK(verify_claims("{\"exp\":9223372000000000000}", NOW) == -1);
	CHECK(verify_claims("{\"exp\":9223371900000000000}", NOW) == 0);
	CHECK(verify_claims("{\"nbf\":9223372000000000000}", NOW) == 0);
	CHECK(verify_claims("{\"exp\":1e400}", NOW) == -1); /* not a float64: JSON error in Go too */
	/* other registered claims are not checked */
	CHECK(verify_claims("{\"aud\":5,\"iss\":[],\"sub\":{}}", NOW) == 0);
}

int main(void)
{
	test_base64url();
	test_pocketbase_vectors();
	test_rfc7515();
	test_claims_encoding();
	test_tampering_and_algs();
	test_malformed();
	test_time_claims();
	TEST_DONE();
}
