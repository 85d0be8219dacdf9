/* config — the command line of `pocketc`, compatible with `pocketbase`.
 * Global flags (--dir, --dev, --encryptionEnv, --queryTimeout, --hooksDir, --migrationsDir,
 * --publicDir, --indexFallback, …) and serve flags (--http, --https, --origins) with
 * PocketBase's defaults, plus our own --workers and the forward-auth flags (--forwardAuthHeader,
 * --forwardAuthProxies, --forwardAuthCollection, --forwardAuthCreate). Unknown flags are
 * tolerated (ignored) as cobra does in PocketBase's launcher. Commands: serve, superuser (with
 * its positional sub-command and arguments), help. */
#ifndef POCKETC_CORE_CONFIG_H
#define POCKETC_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum pb_command { PB_CMD_HELP, PB_CMD_VERSION, PB_CMD_SERVE, PB_CMD_UNKNOWN, PB_CMD_SUPERUSER };

struct pb_config {
	enum pb_command command;
	char *program;         /* argv[0] (borrowed) */
	char *unknown_command; /* borrowed from argv */
	char *dir;             /* owned: pb_data directory */
	char *migrations_dir;  /* owned */
	char *hooks_dir;       /* owned */
	char *public_dir;      /* owned */
	char *http_addr;       /* owned: "127.0.0.1:8090" */
	char *https_addr;      /* owned or NULL (not supported yet) */
	char *origins;         /* owned: comma-separated CORS origins, default "*" */
	char *encryption_env;  /* owned or NULL */
	bool dev;
	bool index_fallback;
	bool automigrate;
	bool hooks_watch;
	int hooks_pool;
	int query_timeout;     /* seconds */
	int workers;           /* worker threads; default = online cores */
	/* forward auth (ours; off unless both the header and the proxies are given) */
	char *forward_auth_header;     /* owned or NULL: e.g. "Remote-Email" */
	char *forward_auth_proxies;    /* owned or NULL: the flag as given */
	char **forward_auth_proxy_list; /* owned: the trimmed entries (IPs or CIDRs), validated */
	size_t nforward_auth_proxies;
	char *forward_auth_collection; /* owned: auth collection name or id, default "users" */
	bool forward_auth_create;      /* create a missing record on first sight */
	char **args;           /* owned array of borrowed argv strings: the positional arguments after
	                        * the command (e.g. `superuser upsert EMAIL PASS` → upsert, EMAIL,
	                        * PASS); NULL when none */
	int nargs;
};

/* Parses argv into cfg (all strings owned by cfg afterwards). Returns 0 (1 when help was
 * asked for), or -1 after printing a message for a malformed flag value, an invalid
 * --forwardAuthProxies entry, --forwardAuthHeader without proxies, or --forwardAuthCreate
 * for the _superusers collection. */
int pb_config_parse(struct pb_config *cfg, int argc, char **argv);
void pb_config_free(struct pb_config *cfg);
/* Prints the help text for the root command or `serve`. */
void pb_config_print_help(const struct pb_config *cfg, bool serve);

#endif
