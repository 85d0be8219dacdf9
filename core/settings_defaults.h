/* settings_defaults — the settings document PocketBase stores on first start.
 * Mirrors newDefaultSettings() of core/settings_model.go as serialized into `_params.value`
 * (row id "settings"): compact JSON, keys in Go struct order, empty lists written as [],
 * secrets (s3.secret, backups.s3.secret) absent because they are empty, smtp.password present. */
#ifndef POCKETC_CORE_SETTINGS_DEFAULTS_H
#define POCKETC_CORE_SETTINGS_DEFAULTS_H

/* The `_params` key of the settings row. */
#define PB_SETTINGS_PARAM_ID "settings"

/* The default settings document as compact JSON text. Static string; never NULL. */
const char *pb_settings_defaults_json(void);

#endif
