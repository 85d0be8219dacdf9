/* pocketc — entry point: parse the command line, build the app, run the command. After a
 * backup restore stopped the server (POST /api/backups/{key}/restore), it swaps pb_data with
 * the extracted backup and re-executes itself with the same arguments, as PocketBase's
 * app.Restart does with execve. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/server.h"
#include "cmd/superuser.h"
#include "core/app.h"
#include "core/backup.h"
#include "core/mailer.h"
#include "core/config.h"
#include "core/db.h"

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "pocketc";
}

/* Every connection of pb_data is closed: swap in the restored data and exec. Returns only on
 * failure (exit code 1). */
static int restart_restored(const char *dir, char *restored, char **argv)
{
	struct pb_error err = PB_ERROR_INIT;
	if (pb_backup_restore_swap(dir, restored, &err) != 0) {
		fprintf(stderr, "Error: failed to restore the backup: %s (restarting with the current data)\n", err.message);
		pb_error_clear(&err);
	}
	free(restored);
	fflush(stdout);
	fflush(stderr);
	execv("/proc/self/exe", argv);
	execvp(argv[0], argv);
	perror("Error: failed to restart the app process");
	return 1;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	pb_db_global_init(); /* SQLite's process-wide settings before any connection exists */
	pb_mailer_global_init(); /* libcurl (SMTP, S3, OAuth2) before any thread exists */
	struct pb_config cfg;
	int prc = pb_config_parse(&cfg, argc, argv);
	if (prc < 0)
		return 1;
	int rc = 0;
	if (cfg.command == PB_CMD_VERSION) {
		printf("%s version " POCKETC_VERSION "\n", base_name(cfg.program));
	} else if (prc == 1 || cfg.command == PB_CMD_HELP) {
		pb_config_print_help(&cfg, cfg.command == PB_CMD_SERVE);
	} else if (cfg.command == PB_CMD_UNKNOWN) {
		fprintf(stderr, "Error: unknown command \"%s\" for \"%s\"\nRun '%s --help' for usage.\n", cfg.unknown_command,
		        base_name(cfg.program), base_name(cfg.program));
		rc = 1;
	} else {
		/* SIGINT/SIGTERM are taken by the server's sigwait; block them before any thread exists */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		struct pb_app app;
		struct pb_error err = PB_ERROR_INIT;
		if (pb_app_bootstrap(&app, &cfg, &err) != 0) {
			fprintf(stderr, "Error: %s\n", err.message);
			pb_error_clear(&err);
			pb_app_close(&app);
			rc = 1;
		} else if (cfg.command == PB_CMD_SUPERUSER) {
			rc = pb_cmd_superuser(&app, cfg.nargs, cfg.args);
			pb_app_close(&app);
		} else {
			rc = pb_server_run(&app) == 0 ? 0 : 1;
			char *restored = pb_backups_take_pending_restore(&app.backups);
			pb_app_close(&app);
			if (restored) {
				pb_mailer_global_cleanup();
				rc = restart_restored(cfg.dir, restored, argv);
			}
		}
	}
	pb_config_free(&cfg);
	pb_mailer_global_cleanup();
	return rc;
}
