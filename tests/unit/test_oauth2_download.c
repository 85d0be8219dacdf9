/* test_oauth2_download — the avatar download's safeHTTPClient rules (core/oauth2.h,
 * pb_oauth2_download): loopback, private, link-local and unspecified targets are refused before
 * connecting (a local listener is never reached), and only http/https URLs are fetched. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/oauth2.h"
#include "test.h"

static void refused(const char *url)
{
	struct pb_error err = PB_ERROR_INIT;
	size_t len = 0;
	char *name = NULL;
	unsigned char *data = pb_oauth2_download(url, 2000, 1024, &len, &name, &err);
	CHECK(data == NULL);
	CHECK(err.status == 400);
	if (data)
		fprintf(stderr, "  downloaded %s\n", url);
	free(data);
	free(name);
	pb_error_clear(&err);
}

int main(void)
{
	/* a real listener on 127.0.0.1: the refusal is the address rule, not a closed port */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 4) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &alen) == 0);
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/avatar.png", ntohs(a.sin_port));
	refused(url);
	snprintf(url, sizeof url, "http://localhost:%d/avatar.png", ntohs(a.sin_port));
	refused(url);
	snprintf(url, sizeof url, "http://[::ffff:127.0.0.1]:%d/a.png", ntohs(a.sin_port));
	refused(url);
	refused("http://10.0.0.1:9/a.png");
	refused("http://192.168.1.1:9/a.png");
	refused("http://169.254.169.254/latest/meta-data");
	refused("http://0.0.0.0:9/a.png");
	refused("file:///etc/passwd");
	refused("ftp://127.0.0.1/a.png");
	close(fd);
	TEST_DONE();
}
