/* validation — ozzo-validation error items as PocketBase puts them on the wire.
 * A failed rule becomes {"code":…,"message":…[,"params":{…}]}: the code and English message of
 * the ozzo rule (pocketbase/ozzo-validation v4.3.0), the message rendered with its params and
 * sentenized ("cannot be blank" → "Cannot be blank."), params only when the rule has some.
 * Nested structures nest objects keyed by field name or slice index ("0", "1", …). The rule
 * codes and messages used by core live here, once. */
#ifndef POCKETC_CORE_VALIDATION_H
#define POCKETC_CORE_VALIDATION_H

#include <jansson.h>
#include <stdint.h>

#define PB_VCODE_REQUIRED "validation_required"
#define PB_VMSG_REQUIRED "cannot be blank"
#define PB_VCODE_IN_INVALID "validation_in_invalid"
#define PB_VMSG_IN_INVALID "must be a valid value"
#define PB_VCODE_MATCH_INVALID "validation_match_invalid"
#define PB_VMSG_MATCH_INVALID "must be in a valid format"
#define PB_VCODE_IS_URL "validation_is_url"
#define PB_VMSG_IS_URL "must be a valid URL"
#define PB_VCODE_IS_HOST "validation_is_host"
#define PB_VMSG_IS_HOST "must be a valid IP address or DNS name"
#define PB_VCODE_IS_EMAIL "validation_is_email"
#define PB_VMSG_IS_EMAIL "must be a valid email address"
#define PB_VCODE_IS_HEX_COLOR "validation_is_hex_color"
#define PB_VMSG_IS_HEX_COLOR "must be a valid hexadecimal color code"
#define PB_VCODE_MIN "validation_min_greater_equal_than_required"
#define PB_VCODE_MAX "validation_max_less_equal_than_required"
#define PB_VCODE_INVALID_CRON "validation_invalid_cron"
/* PocketBase's own (core/validators, core/settings_model.go); the typo is PocketBase's. */
#define PB_VCODE_IP_OR_SUBNET "validation_invlaid_ip_or_subnet"
#define PB_VMSG_IP_OR_SUBNET "invalid IP or CIDR subnet"
#define PB_VCODE_CONFLICTING_RATE_LIMIT_RULE "validation_conflicting_rate_limit_rule"

/* A new item {code, message (sentenized copy of `message`), params} — `params` is stolen and
 * omitted when NULL or empty. Caller owns the returned reference. Never NULL. */
json_t *pb_validation_item(const char *code, const char *message, json_t *params);

/* The item of validation.Length(min, max) (codes length_too_long / too_short / invalid /
 * out_of_range / empty_required chosen as ozzo does; params {"max","min"}). New reference. */
json_t *pb_validation_length(int64_t min, int64_t max);

/* The item of validation.Min(threshold): "must be no less than N", params {"threshold"}. */
json_t *pb_validation_min(int64_t threshold);

/* The item of validation.Max(threshold): "must be no greater than N", params {"threshold"}. */
json_t *pb_validation_max(int64_t threshold);

/* A deep copy of an error tree with every object's keys in byte order (Go encodes the error
 * maps sorted). Borrows `tree`; returns a new reference (NULL for NULL). */
json_t *pb_validation_sorted(const json_t *tree);

/* The end of a validator that collected its errors in `errs` (stolen; may be NULL): NULL when
 * there are none, else pb_validation_sorted(errs). */
json_t *pb_validation_finish(json_t *errs);

#endif
