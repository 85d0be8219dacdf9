/* test_request_uri — url.URL.RequestURI() of a received request (core/request_uri.h): a path
 * that is a valid encoding of itself is kept as sent, any other is decoded and re-escaped with
 * shouldEscape(encodePath); the raw query follows a "?" whenever one was sent. */
#include "core/request_uri.h"

#include "test.h"

static void request_uri(void)
{
	static const struct {
		const char *path, *query, *expected;
	} cases[] = {
	    {"/api/collections/users/records", "page=1&filter=a%3D1", "/api/collections/users/records?page=1&filter=a%3D1"},
	    {"/api/x", "", "/api/x?"},              /* a bare "?" is kept (ForceQuery) */
	    {"/a%2Fb/c%20d", NULL, "/a%2Fb/c%20d"}, /* a valid encoding is kept as sent */
	    {"/caf\xc3\xa9/[x]!*'()", NULL, "/caf%C3%A9/%5Bx%5D%21%2A%27%28%29"}, /* else re-escaped */
	    {"/a b", NULL, "/a%20b"},
	    {"/a~b-c_d.e$f&g+h,i;j=k:l@m!n'o(p)q*r[s]t%41Z09", NULL, "/a~b-c_d.e$f&g+h,i;j=k:l@m!n'o(p)q*r[s]t%41Z09"},
	    {"/a^b|c{d}e`f\\g\"h<i>j\x7f", NULL, "/a%5Eb%7Cc%7Bd%7De%60f%5Cg%22h%3Ci%3Ej%7F"},
	    {"/a b%00c", "q", "/a%20b%00c?q"}, /* a decoded NUL byte is escaped again */
	    {"/a b%4", NULL, "/a b%4"},         /* not decodable: kept as sent */
	    {NULL, NULL, "/"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pb_strbuf b = PB_STRBUF_INIT;
		const char *uri = pb_request_uri(cases[i].path, cases[i].query, &b);
		CHECK_STR(uri, cases[i].expected);
		/* the path itself exactly when it is kept as sent and there is no query */
		CHECK((uri == cases[i].path) == (b.len == 0 && cases[i].path != NULL));
		pb_strbuf_deinit(&b);
	}
}

int main(void)
{
	request_uri();
	TEST_DONE();
}
