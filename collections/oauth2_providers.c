/* oauth2_providers — the meta providers list over the core registry (see oauth2_providers.h). */
#include "collections/oauth2_providers.h"

#include "core/oauth2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool pb_oauth2_provider_known(const char *name) { return pb_oauth2_def_find(name) != NULL; }

/* A plain badge: a rounded square with the first letter of the display name. */
char *pb_oauth2_provider_logo(const char *display_name)
{
	char letter[8] = {0};
	const unsigned char *d = (const unsigned char *)(display_name && *display_name ? display_name : "?");
	size_t n = d[0] < 0x80 ? 1 : (d[0] >> 5) == 6 ? 2 : (d[0] >> 4) == 14 ? 3 : 4;
	memcpy(letter, d, n);
	if (n == 1 && letter[0] >= 'a' && letter[0] <= 'z')
		letter[0] = (char)(letter[0] - 'a' + 'A');
	char *out = NULL;
	if (asprintf(&out,
	             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" "
	             "rx=\"7\" fill=\"#4b5563\"/><text x=\"16\" y=\"21.5\" font-family=\"sans-serif\" font-size=\"16\" "
	             "font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">%s</text></svg>",
	             letter) < 0)
		abort();
	return out;
}

json_t *pb_oauth2_providers_list(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < pb_oauth2_def_count(); i++) {
		const struct pb_oauth2_def *d = pb_oauth2_def_at(i);
		char *logo = pb_oauth2_provider_logo(d->display_name);
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "displayName", json_string(d->display_name));
		json_object_set_new(o, "logo", json_string(logo));
		json_array_append_new(list, o);
		free(logo);
	}
	return list;
}
