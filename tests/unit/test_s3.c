/* test_s3 — the S3 client's URLs and SigV4 signatures against the expectations of
 * PocketBase's tools/filesystem/internal/s3blob/s3/s3_test.go (TestS3URL, TestS3SignAndSend:
 * same config, date and headers, same Authorization values), plus pb_s3_test's refusal of a
 * disabled config. The network operations are covered by tests/api/backups.test.mjs against a
 * signature-checking stub. */
#include <stdlib.h>

#include "core/s3.h"
#include "test.h"

static struct pb_settings_s3 cfg(const char *endpoint, const char *ak, const char *sk, bool path_style)
{
	struct pb_settings_s3 c = {0};
	c.enabled = true;
	c.bucket = (char *)"test_bucket";
	c.region = (char *)"test_region";
	c.endpoint = (char *)endpoint;
	c.access_key = (char *)ak;
	c.secret = (char *)sk;
	c.force_path_style = path_style;
	return c;
}

static void test_url(void)
{
	const char *path = "/test_key/a/b c@d?a=@1&b=!2#@a b c";
	const char *expected_path = "/test_key/a/b%20c%40d?a=@1&b=!2#@a b c";
	char want[256];
	struct {
		const char *endpoint;
		bool path_style;
		const char *prefix;
	} cases[] = {
		{"example.com/", false, "https://test_bucket.example.com"},
		{"https://example.com/", false, "https://test_bucket.example.com"},
		{"http://example.com/", false, "http://test_bucket.example.com"},
		{"example.com/", true, "https://example.com/test_bucket"},
		{"http://example.com/", true, "http://example.com/test_bucket"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_settings_s3 c = cfg(cases[i].endpoint, "123", "abc", cases[i].path_style);
		char *url = pb_s3_url(&c, path);
		snprintf(want, sizeof want, "%s%s", cases[i].prefix, expected_path);
		CHECK_STR(url, want);
		free(url);
	}
	/* an already escaped key is not escaped twice */
	struct pb_settings_s3 c = cfg("http://127.0.0.1:9000", "a", "b", true);
	char *url = pb_s3_url(&c, "a%20b/@x.zip");
	CHECK_STR(url, "http://127.0.0.1:9000/test_bucket/a%20b/%40x.zip");
	free(url);
	char *e = pb_s3_escape("a b~/+", 6);
	CHECK_STR(e, "a%20b~%2F%2B");
	free(e);
}

static void check_sig(const char *ak, const char *sk, const char *path, const struct pb_s3_header *extra, size_t nextra,
                      const char *expected)
{
	struct pb_settings_s3 c = cfg("https://example.com/", ak, sk, false);
	char *url = pb_s3_url(&c, path);
	struct pb_s3_header h[12];
	size_t n = 0;
	bool own_sha = false;
	for (size_t i = 0; i < nextra; i++)
		if (!strcmp(extra[i].name, "x-amz-content-sha256"))
			own_sha = true;
	h[n++] = (struct pb_s3_header){"Accept-Encoding", "identity"};
	if (!own_sha)
		h[n++] = (struct pb_s3_header){"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"};
	h[n++] = (struct pb_s3_header){"X-Amz-Date", "20250102T150405Z"};
	for (size_t i = 0; i < nextra; i++)
		h[n++] = extra[i];
	char *auth = pb_s3_authorization(&c, "GET", url, h, n);
	CHECK_STR(auth, expected);
	free(auth);
	free(url);
}

static void test_signatures(void)
{
	check_sig("123", "abc", "/test", NULL, 0,
	          "AWS4-HMAC-SHA256 Credential=123/20250102/test_region/s3/aws4_request, "
	          "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
	          "Signature=ea093662bc1deef08dfb4ac35453dfaad5ea89edf102e9dd3b7156c9a27e4c1f");
	check_sig("456", "def", "/test", NULL, 0,
	          "AWS4-HMAC-SHA256 Credential=456/20250102/test_region/s3/aws4_request, "
	          "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
	          "Signature=17510fa1f724403dd0a563b61c9b31d1d718f877fcbd75455620d17a8afce5fb");
	check_sig("456", "def",
	          "/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_.~!@&*():=$()?a=1&@b=@2#@a b c", NULL, 0,
	          "AWS4-HMAC-SHA256 Credential=456/20250102/test_region/s3/aws4_request, "
	          "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
	          "Signature=9458a033554f52913801b3de16f54409b36ed25c6da3aed14e64439500e2c5e1");
	static const struct pb_s3_header extra[] = {
		{"x-amz-content-sha256", "test_sha256"}, {"x-amz-example", "123"}, {"x-amz-meta-a", "456"},
		{"content-type", "image/png"},           {"x-test", "789"},
	};
	check_sig("123", "abc", "/test", extra, sizeof extra / sizeof extra[0],
	          "AWS4-HMAC-SHA256 Credential=123/20250102/test_region/s3/aws4_request, "
	          "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-example;x-amz-meta-a, "
	          "Signature=86dccbcd012c33073dc99e9d0a9e0b717a4d8c11c37848cfa9a4a02716bc0db3");
}

static void test_disabled(void)
{
	struct pb_settings_s3 c = cfg("http://127.0.0.1:1", "a", "b", true);
	c.enabled = false;
	struct pb_error err = PB_ERROR_INIT;
	CHECK(pb_s3_test(&c, &err) == -1);
	CHECK_STR(err.message, "S3 storage filesystem is not enabled");
	pb_error_clear(&err);
	/* enabled but nothing listens there: a transport error, reported as the upload failing */
	c.enabled = true;
	CHECK(pb_s3_test(&c, &err) == -1);
	CHECK(err.status == 400 && !strncmp(err.message, "failed to upload a test file: ", 30));
	pb_error_clear(&err);
}

int main(void)
{
	test_url();
	test_signatures();
	test_disabled();
	TEST_DONE();
}
