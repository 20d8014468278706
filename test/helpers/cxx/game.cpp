/* SPDX-License-Identifier: GPL-3.0-or-later */
// game: a C++ program for the C++ symbol tests (SPEC §10).  Built with -g as
// $(B)/test/game.
//
//   namespace game { int score = 1234; struct Player { static int count; };
//                    int score_of(int); int score_of(const char *); }
//   int game::Player::count = 2;
//   std::string greeting = "hi";         (mangled with [abi:cxx11])
//
// On start it prints one line and flushes:
//   ready pid=P score=A count=A score_of_int=A
// and idles; SIGUSR1 prints "report seq=N score=D count=D end"; SIGTERM ends it.
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace game {
int score = 1234;
struct Player {
	static int count;
};
int Player::count = 2;
__attribute__((noinline)) int score_of(int k) { return score * k; }
__attribute__((noinline)) int score_of(const char *s) { return score + (s ? 1 : 0); }
}

std::string greeting = "hi";

static volatile sig_atomic_t want_report, want_exit;

extern "C" void on_usr1(int) { want_report = 1; }
extern "C" void on_term(int) { want_exit = 1; }

int
main()
{
	int seq = 0;
	int (*f)(int) = game::score_of;

	sigset_t block, old;

	std::signal(SIGUSR1, on_usr1);
	std::signal(SIGTERM, on_term);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	std::printf("ready pid=%d score=%p count=%p score_of_int=%p\n", (int)getpid(),
	    (void *)&game::score, (void *)&game::Player::count, (void *)f);
	std::fflush(stdout);
	for (;;) {
		while (!want_report && !want_exit)
			sigsuspend(&old);
		if (want_exit)
			return 0;
		if (want_report) {
			want_report = 0;
			std::printf("report seq=%d score=%d count=%d end\n", ++seq,
			    game::score, game::Player::count);
			std::fflush(stdout);
		}
	}
}
