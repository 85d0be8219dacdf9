/* pocketc — entry point: parse the command line, build the app, run it. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("pocketc " POCKETC_VERSION);
	return 0;
}
