/* list_params — ?page/?perPage/?skipTotal/?filter/?sort of a list request (see list_params.h). */
#include "api/list_params.h"

int pb_api_list_params(struct pb_req *req, struct pb_list_params *p)
{
	struct pb_error err = PB_ERROR_INIT;
	if (pb_list_params_parse(p, pb_req_query(req, "page"), pb_req_query(req, "perPage"),
	                         pb_req_query(req, "skipTotal"), &err) != 0) {
		pb_resp_pb_error(req, &err);
		return -1;
	}
	p->filter = pb_req_query(req, "filter");
	p->sort = pb_req_query(req, "sort");
	return 0;
}
