/* superuser — the `superuser` CLI command of PocketBase (cmd/superuser.go):
 *   upsert EMAIL PASS   create, or change the password when the email exists
 *   create EMAIL PASS   create a new superuser
 *   update EMAIL PASS   change an existing superuser's password
 *   delete EMAIL        delete (a missing one is only reported, not an error)
 *   otp EMAIL           create an OTP for a superuser (OTP auth must be enabled)
 *   ips [IP|CIDR …]     set (or clear) the superuser IP whitelist
 * with PocketBase's messages (pb-api.md §7.3): results on stdout (green / yellow when stdout is
 * a terminal), failures as "Error: <message>" on stderr — and, like PocketBase's launcher, the
 * process still exits 0 after a failing sub-command. Writes run synchronously on the app's
 * write connection (pb_writer_run_once) through the regular records write path, so passwords
 * are validated like any record save (min 8 for `_superusers`) and creating a superuser removes
 * the installer placeholder. */
#ifndef POCKETC_CMD_SUPERUSER_H
#define POCKETC_CMD_SUPERUSER_H

#include "core/app.h"

/* Runs the sub-command argv[0] with its arguments (argv borrowed; argc may be 0 → help).
 * Returns the process exit code. */
int pb_cmd_superuser(struct pb_app *app, int argc, char **argv);

#endif
