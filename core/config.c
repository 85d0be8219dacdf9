/* config — parsing pocketbase-compatible command lines (see config.h).
 * Flags accept `--name=value`, `--name value` and, for booleans, bare `--name` and
 * `--name=false`. Defaults follow PocketBase's prebuilt binary: pb_data and pb_public next
 * to the executable unless overridden; here they are relative to the working directory,
 * which is where users of a self-built binary expect them. */
#include "core/config.h"

#include "core/netip.h"
#include "core/text.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? strdup(v) : NULL;
}

static int parse_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "1") || !strcasecmp(v, "t") || !strcasecmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "0") || !strcasecmp(v, "f") || !strcasecmp(v, "false")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int parse_int(const char *v, int *out)
{
	if (!v || !*v)
		return -1;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < -1000000 || n > 1000000)
		return -1;
	*out = (int)n;
	return 0;
}

/* Splits and validates --forwardAuthProxies; checks the flag combination. Returns 0 or -1
 * after printing the error. */
static int parse_forward_auth(struct pb_config *cfg)
{
	if (cfg->forward_auth_header && !*cfg->forward_auth_header)
		set_str(&cfg->forward_auth_header, NULL);
	const char *p = cfg->forward_auth_proxies ? cfg->forward_auth_proxies : "", *s;
	size_t n;
	while (pb_text_list_next(&p, &s, &n)) {
		if (!pb_netip_parse_prefix(s, n, NULL, NULL) && !pb_netip_is_ip(s, n)) {
			fprintf(stderr, "Error: invalid --forwardAuthProxies entry \"%.*s\" (expected an IP address or CIDR)\n",
			        (int)n, s);
			return -1;
		}
		char **list = realloc(cfg->forward_auth_proxy_list, (cfg->nforward_auth_proxies + 1) * sizeof *list);
		if (!list)
			abort();
		cfg->forward_auth_proxy_list = list;
		list[cfg->nforward_auth_proxies++] = strndup(s, n);
	}
	if (cfg->forward_auth_header && !cfg->nforward_auth_proxies) {
		fprintf(stderr, "Error: --forwardAuthHeader needs --forwardAuthProxies (the trusted proxy addresses)\n");
		return -1;
	}
	if (!cfg->forward_auth_collection || !*cfg->forward_auth_collection)
		set_str(&cfg->forward_auth_collection, "users");
	if (cfg->forward_auth_header && cfg->forward_auth_create &&
	    (!strcmp(cfg->forward_auth_collection, "_superusers") || !strcmp(cfg->forward_auth_collection, "pbc_3142635823"))) {
		fprintf(stderr, "Error: --forwardAuthCreate cannot create _superusers records\n");
		return -1;
	}
	return 0;
}

enum flag_kind { FLAG_STR, FLAG_BOOL, FLAG_INT };

struct flag {
	const char *name;
	enum flag_kind kind;
	size_t offset;
};

#define OFF(m) offsetof(struct pb_config, m)
static const struct flag flags[] = {
	{"dir", FLAG_STR, OFF(dir)},
	{"migrationsDir", FLAG_STR, OFF(migrations_dir)},
	{"hooksDir", FLAG_STR, OFF(hooks_dir)},
	{"publicDir", FLAG_STR, OFF(public_dir)},
	{"http", FLAG_STR, OFF(http_addr)},
	{"https", FLAG_STR, OFF(https_addr)},
	{"origins", FLAG_STR, OFF(origins)},
	{"encryptionEnv", FLAG_STR, OFF(encryption_env)},
	{"dev", FLAG_BOOL, OFF(dev)},
	{"indexFallback", FLAG_BOOL, OFF(index_fallback)},
	{"automigrate", FLAG_BOOL, OFF(automigrate)},
	{"hooksWatch", FLAG_BOOL, OFF(hooks_watch)},
	{"hooksPool", FLAG_INT, OFF(hooks_pool)},
	{"queryTimeout", FLAG_INT, OFF(query_timeout)},
	{"workers", FLAG_INT, OFF(workers)},
	{"forwardAuthHeader", FLAG_STR, OFF(forward_auth_header)},
	{"forwardAuthProxies", FLAG_STR, OFF(forward_auth_proxies)},
	{"forwardAuthCollection", FLAG_STR, OFF(forward_auth_collection)},
	{"forwardAuthCreate", FLAG_BOOL, OFF(forward_auth_create)},
};

static const struct flag *find_flag(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
			return &flags[i];
	return NULL;
}

int pb_config_parse(struct pb_config *cfg, int argc, char **argv)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->program = argv[0];
	cfg->command = PB_CMD_HELP;
	set_str(&cfg->dir, "pb_data");
	set_str(&cfg->public_dir, "pb_public");
	set_str(&cfg->http_addr, "127.0.0.1:8090");
	set_str(&cfg->origins, "*");
	set_str(&cfg->forward_auth_collection, "users");
	cfg->index_fallback = true;
	cfg->automigrate = true;
	cfg->hooks_watch = true;
	cfg->hooks_pool = 15;
	cfg->query_timeout = 30;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->workers = cores > 0 ? (int)cores : 1;
	bool have_command = false, help = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			help = true;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
			cfg->command = PB_CMD_VERSION;
			return 0;
		}
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
			const struct flag *f = find_flag(name, nlen);
			const char *val = eq ? eq + 1 : NULL;
			if (!f) {
				/* unknown flags are tolerated; skip a following value when given as "--x v" */
				continue;
			}
			if (!val && f->kind != FLAG_BOOL) {
				if (i + 1 >= argc) {
					fprintf(stderr, "Error: flag needs an argument: --%s\n", f->name);
					return -1;
				}
				val = argv[++i];
			}
			void *slot = (char *)cfg + f->offset;
			int rc = 0;
			if (f->kind == FLAG_STR)
				set_str((char **)slot, val);
			else if (f->kind == FLAG_BOOL)
				rc = parse_bool(val, (bool *)slot);
			else
				rc = parse_int(val, (int *)slot);
			if (rc != 0) {
				fprintf(stderr, "Error: invalid argument \"%s\" for \"--%s\" flag\n", val ? val : "", f->name);
				return -1;
			}
			continue;
		}
		if (have_command) {
			char **grown = realloc(cfg->args, (size_t)(cfg->nargs + 1) * sizeof *grown);
			if (!grown)
				abort();
			cfg->args = grown;
			cfg->args[cfg->nargs++] = argv[i];
			continue;
		}
		if (!have_command) {
			have_command = true;
			if (!strcmp(a, "serve"))
				cfg->command = PB_CMD_SERVE;
			else if (!strcmp(a, "superuser"))
				cfg->command = PB_CMD_SUPERUSER;
			else if (!strcmp(a, "help"))
				cfg->command = PB_CMD_HELP;
			else {
				cfg->command = PB_CMD_UNKNOWN;
				cfg->unknown_command = argv[i];
			}
		}
	}
	if (parse_forward_auth(cfg) != 0)
		return -1;
	if (cfg->workers < 1)
		cfg->workers = 1;
	if (cfg->workers > 256)
		cfg->workers = 256;
	return help ? 1 : 0;
}

void pb_config_free(struct pb_config *cfg)
{
	free(cfg->dir);
	free(cfg->migrations_dir);
	free(cfg->hooks_dir);
	free(cfg->public_dir);
	free(cfg->http_addr);
	free(cfg->https_addr);
	free(cfg->origins);
	free(cfg->encryption_env);
	free(cfg->forward_auth_header);
	free(cfg->forward_auth_proxies);
	for (size_t i = 0; i < cfg->nforward_auth_proxies; i++)
		free(cfg->forward_auth_proxy_list[i]);
	free(cfg->forward_auth_proxy_list);
	free(cfg->forward_auth_collection);
	free(cfg->args);
	memset(cfg, 0, sizeof *cfg);
}

void pb_config_print_help(const struct pb_config *cfg, bool serve)
{
	const char *prog = cfg->program ? cfg->program : "pocketc";
	if (serve) {
		printf("Starts the web server (default to 127.0.0.1:8090 if no domain is specified)\n\n"
		       "Usage:\n  %s serve [domain(s)] [flags]\n\n"
		       "Flags:\n"
		       "      --http string      TCP address to listen for the HTTP server (default \"127.0.0.1:8090\")\n"
		       "      --https string     TCP address to listen for the HTTPS server (not supported yet: accepted and ignored)\n"
		       "      --origins string   CORS allowed domain origins list (default \"*\")\n"
		       "      --workers int      worker threads, one event loop and SQLite read connection each (default: number of cores)\n"
		       "      --forwardAuthHeader string      request header holding the user's email set by a trusted reverse proxy\n"
		       "                                      (e.g. Remote-Email); off unless --forwardAuthProxies is given too\n"
		       "      --forwardAuthProxies string     comma-separated proxy addresses (IPs or CIDRs, e.g. 127.0.0.1,10.0.0.0/8) whose\n"
		       "                                      forward-auth header is trusted (the TCP peer, never a header)\n"
		       "      --forwardAuthCollection string  auth collection of the forward-authenticated records (default \"users\")\n"
		       "      --forwardAuthCreate             create a missing record for a forward-authenticated email on first sight\n",
		       prog);
	} else {
		printf("pocketc CLI (PocketBase v" POCKETC_VERSION " compatible)\n\n"
		       "Usage:\n  %s [command]\n\n"
		       "Available Commands:\n"
		       "  serve       Starts the web server (default to 127.0.0.1:8090 if no domain is specified)\n"
		       "  superuser   Manage superusers\n"
		       "  migrate     Executes app DB migration scripts (not implemented yet)\n\n",
		       prog);
	}
	printf("Global Flags:\n"
	       "      --automigrate          enable/disable auto migrations (default true; JS migrations are not run yet)\n"
	       "      --dev                  enable dev mode, aka. printing logs and sql statements to the console\n"
	       "      --dir string           the PocketBase data directory (default \"pb_data\")\n"
	       "      --encryptionEnv string the env variable whose value of 32 characters will be used as encryption key for the app settings\n"
	       "  -h, --help                 help for pocketc\n"
	       "      --hooksDir string      the directory with the JS app hooks (not run yet)\n"
	       "      --hooksPool int        the total prewarm goja.Runtime instances for the JS app hooks execution (default 15; accepted, unused)\n"
	       "      --hooksWatch           auto restart the app on pb_hooks file change (default true; accepted, unused)\n"
	       "      --indexFallback        fallback the request to index.html on missing static path, e.g. when pretty urls are used with SPA (default true)\n"
	       "      --migrationsDir string the directory with the user defined migrations (not run yet)\n"
	       "      --publicDir string     the directory to serve static files (default \"pb_public\")\n"
	       "      --queryTimeout int     the default SELECT queries timeout in seconds (default 30)\n"
	       "  -v, --version              version for pocketc\n");
}
