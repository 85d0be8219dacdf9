/* filter_functions — the two filter functions of PocketBase v0.39.11
 * (tools/search/token_functions.go): geoDistance(lonA, latA, lonB, latB), the Haversine
 * distance in km with R = 6371 (null fallback disabled, multi-match ignored), and
 * strftime(format [, timeValue [, modifier…]]) with 1–10 args (null fallback enforced; a
 * multi-valued time value pushes the call into the multi-match subquery). */
#include "collections/filter_internal.h"

#include <stdlib.h>
#include <string.h>

static int geo_distance(struct fb_build *b, const struct pb_foperand *fn, struct fb_operand *out)
{
	if (fn->nargs != 4)
		return pb_error_set(b->err, 400, "Invalid filter: [geoDistance] expected 4 arguments, got %zu.", fn->nargs);
	struct fb_operand a[4];
	int rc = 0;
	size_t done = 0;
	for (; done < 4; done++) {
		fb_operand_init(&a[done]);
		const struct pb_foperand *arg = &fn->args[done];
		if (arg->kind != PB_FOPERAND_IDENT && arg->kind != PB_FOPERAND_NUMBER) {
			rc = pb_error_set(b->err, 400, "Invalid filter: [geoDistance] argument %zu must be an identifier or number.",
			                  done);
			done++;
			break;
		}
		if (fb_resolve_operand(b, arg, &a[done]) != 0) {
			rc = -1;
			done++;
			break;
		}
	}
	if (rc == 0) {
		const char *lonA = pb_strbuf_cstr(&a[0].id), *latA = pb_strbuf_cstr(&a[1].id);
		const char *lonB = pb_strbuf_cstr(&a[2].id), *latB = pb_strbuf_cstr(&a[3].id);
		out->fallback = FB_DISABLED;
		pb_strbuf_printf(&out->id,
		                 "(6371 * acos(cos(radians(%s)) * cos(radians(%s)) * cos(radians(%s) - radians(%s)) + "
		                 "sin(radians(%s)) * sin(radians(%s))))",
		                 latA, latB, lonB, lonA, latA, latB);
	}
	for (size_t i = 0; i < done; i++)
		fb_operand_deinit(&a[i]);
	return rc;
}

static int str_ftime(struct fb_build *b, const struct pb_foperand *fn, struct fb_operand *out)
{
	size_t n = fn->nargs;
	if (n < 1)
		return pb_error_set(b->err, 400, "Invalid filter: [strftime] expected at least 1 argument.");
	if (n > 10)
		return pb_error_set(b->err, 400, "Invalid filter: [strftime] too many arguments.");
	if (fn->args[0].kind != PB_FOPERAND_TEXT)
		return pb_error_set(b->err, 400, "Invalid filter: [strftime] the first argument must be a format string.");
	if (n > 1 && fn->args[1].kind == PB_FOPERAND_FUNC)
		return pb_error_set(b->err, 400, "Invalid filter: [strftime] invalid time-value argument.");
	for (size_t i = 2; i < n; i++)
		if (fn->args[i].kind != PB_FOPERAND_TEXT)
			return pb_error_set(b->err, 400, "Invalid filter: [strftime] modifiers must be strings.");

	struct fb_operand *a = calloc(n, sizeof *a);
	if (!a)
		abort();
	int rc = 0;
	size_t done = 0;
	for (; done < n; done++) {
		if (fb_resolve_operand(b, &fn->args[done], &a[done]) != 0) {
			rc = -1;
			done++;
			break;
		}
	}
	if (rc == 0) {
		out->fallback = FB_ENFORCED;
		pb_strbuf_puts(&out->id, "strftime(");
		for (size_t i = 0; i < n; i++) {
			if (i)
				pb_strbuf_putc(&out->id, ',');
			pb_strbuf_append(&out->id, a[i].id.data, a[i].id.len);
		}
		pb_strbuf_putc(&out->id, ')');
		if (n > 1 && a[1].mm.active) {
			out->mm = a[1].mm;
			memset(&a[1].mm, 0, sizeof a[1].mm);
			char *v = pb_strbuf_steal(&out->mm.value);
			pb_strbuf_puts(&out->mm.value, "strftime(");
			for (size_t i = 0; i < n; i++) {
				if (i)
					pb_strbuf_putc(&out->mm.value, ',');
				pb_strbuf_puts(&out->mm.value, i == 1 ? v : pb_strbuf_cstr(&a[i].id));
			}
			pb_strbuf_putc(&out->mm.value, ')');
			free(v);
		}
	}
	for (size_t i = 0; i < done; i++)
		fb_operand_deinit(&a[i]);
	free(a);
	return rc;
}

int fb_resolve_function(struct fb_build *b, const struct pb_foperand *fn, struct fb_operand *out)
{
	if (strcmp(fn->lit, "geoDistance") == 0)
		return geo_distance(b, fn, out);
	if (strcmp(fn->lit, "strftime") == 0)
		return str_ftime(b, fn, out);
	return pb_error_set(b->err, 400, "Invalid filter: unknown function \"%s\".", fn->lit);
}
