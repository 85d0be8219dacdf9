/* installer — PocketBase's first-run installer (apis/installer.go): while no superuser other
 * than the placeholder `__pbinstaller@example.com` exists, `serve` creates (or reuses) that
 * placeholder with a random password, issues it a 30-minute non-refreshable auth token and
 * prints the one-time dashboard link
 *   (!) Launch the URL below in the browser if it hasn't been open already to create your
 *   first superuser account:
 *   <base>/_/#/pbinstall/<token>
 *   (you can also create your first superuser by running: <argv0> superuser upsert EMAIL PASS)
 * (magenta / bold cyan / grey italic on a terminal). Creating any real superuser deletes the
 * placeholder (collections/auth_record.h). pocketc does not try to open a browser. */
#ifndef POCKETC_API_INSTALLER_H
#define POCKETC_API_INSTALLER_H

#include <stdio.h>

#include "core/app.h"
#include "core/error.h"

#define PB_INSTALLER_TOKEN_DURATION 1800

/* Checks and prepares the installer on app->data synchronously (call before the writer thread
 * owns the connection). Returns 0 with *token_out = the installer token (caller frees) or NULL
 * when a superuser exists; -1 with err when the placeholder cannot be created. */
int pb_installer_prepare(struct pb_app *app, char **token_out, struct pb_error *err);

/* Writes the installer block for `base_url` ("http://127.0.0.1:8090") to out. `color` selects
 * the terminal colours. */
void pb_installer_print(FILE *out, const char *base_url, const char *token, const char *argv0, bool color);

#endif
