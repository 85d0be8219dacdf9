/* test_config — pocketbase-compatible command-line parsing (core/config.c). */
#include <stdlib.h>

#include "core/config.h"
#include "tests/unit/test.h"

int main(void)
{
	struct pb_config cfg;
	char *a1[] = {"pocketc", "serve", "--http=0.0.0.0:9000", "--dir", "/tmp/x", "--dev", "--workers=3",
	              "--unknownFlag=1", "--origins=https://a.com,https://b.com", "--indexFallback=false", NULL};
	CHECK(pb_config_parse(&cfg, 10, a1) == 0);
	CHECK(cfg.command == PB_CMD_SERVE);
	CHECK_STR(cfg.http_addr, "0.0.0.0:9000");
	CHECK_STR(cfg.dir, "/tmp/x");
	CHECK(cfg.dev);
	CHECK(cfg.workers == 3);
	CHECK_STR(cfg.origins, "https://a.com,https://b.com");
	CHECK(!cfg.index_fallback);
	pb_config_free(&cfg);

	char *a2[] = {"pocketc", "serve", NULL};
	CHECK(pb_config_parse(&cfg, 2, a2) == 0);
	CHECK_STR(cfg.http_addr, "127.0.0.1:8090");
	CHECK_STR(cfg.dir, "pb_data");
	CHECK_STR(cfg.public_dir, "pb_public");
	CHECK_STR(cfg.origins, "*");
	CHECK(cfg.index_fallback && cfg.query_timeout == 30 && cfg.workers >= 1);
	pb_config_free(&cfg);

	char *a3[] = {"pocketc", "--version", NULL};
	CHECK(pb_config_parse(&cfg, 2, a3) == 0 && cfg.command == PB_CMD_VERSION);
	pb_config_free(&cfg);

	char *a4[] = {"pocketc", "serve", "--queryTimeout=abc", NULL};
	CHECK(pb_config_parse(&cfg, 3, a4) == -1);
	pb_config_free(&cfg);

	char *a5[] = {"pocketc", "serve", "--http", NULL};
	CHECK(pb_config_parse(&cfg, 3, a5) == -1);
	pb_config_free(&cfg);

	char *a6[] = {"pocketc", "frobnicate", NULL};
	CHECK(pb_config_parse(&cfg, 2, a6) == 0 && cfg.command == PB_CMD_UNKNOWN);
	pb_config_free(&cfg);

	char *a7[] = {"pocketc", "serve", "--help", NULL};
	CHECK(pb_config_parse(&cfg, 3, a7) == 1 && cfg.command == PB_CMD_SERVE);
	pb_config_free(&cfg);

	/* forward auth: off by default, "users" as the collection */
	CHECK(pb_config_parse(&cfg, 2, a2) == 0);
	CHECK(!cfg.forward_auth_header && cfg.nforward_auth_proxies == 0 && !cfg.forward_auth_create);
	CHECK_STR(cfg.forward_auth_collection, "users");
	pb_config_free(&cfg);

	char *f1[] = {"pocketc", "serve", "--forwardAuthHeader=Remote-Email", "--forwardAuthProxies", " 127.0.0.1, 10.0.0.0/8,,::1 ",
	              "--forwardAuthCollection=clients", "--forwardAuthCreate", NULL};
	CHECK(pb_config_parse(&cfg, 7, f1) == 0);
	CHECK_STR(cfg.forward_auth_header, "Remote-Email");
	CHECK(cfg.nforward_auth_proxies == 3);
	if (cfg.nforward_auth_proxies == 3) {
		CHECK_STR(cfg.forward_auth_proxy_list[0], "127.0.0.1");
		CHECK_STR(cfg.forward_auth_proxy_list[1], "10.0.0.0/8");
		CHECK_STR(cfg.forward_auth_proxy_list[2], "::1");
	}
	CHECK_STR(cfg.forward_auth_collection, "clients");
	CHECK(cfg.forward_auth_create);
	pb_config_free(&cfg);

	char *f2[] = {"pocketc", "serve", "--forwardAuthHeader=Remote-Email", "--forwardAuthProxies=10.0.0.0/33", NULL};
	CHECK(pb_config_parse(&cfg, 4, f2) == -1); /* not an IP or CIDR */
	pb_config_free(&cfg);
	char *f3[] = {"pocketc", "serve", "--forwardAuthHeader=Remote-Email", NULL};
	CHECK(pb_config_parse(&cfg, 3, f3) == -1); /* a header without trusted proxies */
	pb_config_free(&cfg);
	char *f4[] = {"pocketc", "serve", "--forwardAuthHeader=X-Email", "--forwardAuthProxies=127.0.0.1",
	              "--forwardAuthCollection=_superusers", "--forwardAuthCreate", NULL};
	CHECK(pb_config_parse(&cfg, 6, f4) == -1); /* superusers are never created from a header */
	pb_config_free(&cfg);
	char *f5[] = {"pocketc", "serve", "--forwardAuthHeader=X-Email", "--forwardAuthProxies=127.0.0.1",
	              "--forwardAuthCollection=_superusers", NULL};
	CHECK(pb_config_parse(&cfg, 5, f5) == 0); /* but may be authenticated by one */
	pb_config_free(&cfg);

	/* positional arguments after the command (superuser sub-commands), flags anywhere */
	char *a8[] = {"pocketc", "superuser", "upsert", "--dir=/tmp/y", "a@b.co", "pass word", NULL};
	CHECK(pb_config_parse(&cfg, 6, a8) == 0 && cfg.command == PB_CMD_SUPERUSER);
	CHECK(cfg.nargs == 3);
	CHECK_STR(cfg.args[0], "upsert");
	CHECK_STR(cfg.args[1], "a@b.co");
	CHECK_STR(cfg.args[2], "pass word");
	CHECK_STR(cfg.dir, "/tmp/y");
	pb_config_free(&cfg);
	CHECK(cfg.args == NULL && cfg.nargs == 0);

	char *a9[] = {"pocketc", "superuser", NULL};
	CHECK(pb_config_parse(&cfg, 2, a9) == 0 && cfg.command == PB_CMD_SUPERUSER && cfg.nargs == 0);
	pb_config_free(&cfg);
	TEST_DONE();
}
