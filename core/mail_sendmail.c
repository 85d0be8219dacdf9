/* mail_sendmail — the transport PocketBase uses when SMTP is off (tools/mailer/sendmail.go):
 * find a sendmail executable (/usr/sbin/sendmail, /usr/bin/sendmail, then PATH, skipping
 * relative PATH entries as Go's exec.LookPath does), run it as `sendmail -i -t` with the
 * message on standard input and its output discarded, and report a non-zero exit (a command
 * that exits successfully without reading everything is not an error, as in Go). The
 * child's stdin is one end of a socketpair written with MSG_NOSIGNAL, so a sendmail that
 * exits early cannot raise SIGPIPE in the daemon. */
#include "core/mailer_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/mail_mime.h"
#include "core/strbuf.h"

extern char **environ;

static bool is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

char *pb_mail_sendmail_find(const char *path_env)
{
	static const char *const fixed[] = {"/usr/sbin/sendmail", "/usr/bin/sendmail"};
	for (size_t i = 0; i < 2; i++)
		if (is_executable_file(fixed[i]))
			return strdup(fixed[i]);
	for (const char *p = path_env ? path_env : ""; *p;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		if (n > 0 && p[0] == '/') {
			struct pb_strbuf b = PB_STRBUF_INIT;
			pb_strbuf_append(&b, p, n);
			pb_strbuf_puts(&b, "/sendmail");
			if (is_executable_file(b.data))
				return pb_strbuf_steal(&b);
			pb_strbuf_deinit(&b);
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return NULL;
}

static int send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = send(fd, data, len, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

int pb_mail_sendmail_run(const char *cmd, const struct pb_mail *m, struct pb_error *err)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return pb_error_set(err, 500, "sendmail: %s", strerror(errno));

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	char *argv[] = {(char *)cmd, "-i", "-t", NULL};
	pid_t pid;
	int sr = posix_spawn(&pid, cmd, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (sr != 0) {
		close(sv[0]);
		return pb_error_set(err, 500, "sendmail: %s", strerror(sr));
	}

	struct pb_strbuf msg = PB_STRBUF_INIT;
	pb_mail_mime_build_sendmail(m, &msg);
	int werr = send_all(sv[0], msg.data ? msg.data : "", msg.len) == 0 ? 0 : errno;
	pb_strbuf_deinit(&msg);
	close(sv[0]);

	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return pb_error_set(err, 500, "sendmail: %s", strerror(errno));
	}
	if (WIFSIGNALED(status)) {
		/* Go's wording, e.g. "signal: killed"; sigdescr_np is thread-safe, strsignal is not */
		const char *d = sigdescr_np(WTERMSIG(status));
		char desc[64];
		snprintf(desc, sizeof desc, "%s", d ? d : "unknown signal");
		if (desc[0] >= 'A' && desc[0] <= 'Z')
			desc[0] = (char)(desc[0] + 32);
		return pb_error_set(err, 500, "signal: %s", desc);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return pb_error_set(err, 500, "exit status %d", WEXITSTATUS(status));
	/* like Go's exec.Cmd: a command that succeeded without reading all its input is fine */
	if (werr && werr != EPIPE)
		return pb_error_set(err, 500, "sendmail: write: %s", strerror(werr));
	return 0;
}
