#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE 1
#include <wchar.h>
#include <langinfo.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>
#include <errno.h>
#include "CTermShims.h"

#include <locale.h>
#include <pthread.h>
#include <termios.h>

/* Widths come from a private C.UTF-8 locale object, so measuring does not
 * depend on whether (or how) the process called setlocale: tests and the app
 * agree, and a "C" process locale cannot turn 张 into -1. */
static locale_t g_utf8_locale = (locale_t)0;
static pthread_once_t g_utf8_once = PTHREAD_ONCE_INIT;
static void make_utf8_locale(void) {
    g_utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int cts_wcwidth(unsigned int cp) {
    pthread_once(&g_utf8_once, make_utf8_locale);
    if (g_utf8_locale == (locale_t)0) return wcwidth((wchar_t)cp);
    locale_t old = uselocale(g_utf8_locale);
    int w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w;
}

static struct termios g_saved_termios;
static int g_have_termios = 0;
int cts_save_termios(int fd) {
    if (tcgetattr(fd, &g_saved_termios) != 0) return -1;
    g_have_termios = 1;
    return 0;
}

int cts_codeset_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static volatile sig_atomic_t g_exit_signal = 0;
static volatile sig_atomic_t g_exit_count = 0;
static int g_wake_fd = -1;
static int g_tty_fd = -1;
static char g_restore[256];
static size_t g_restore_len = 0;

static void restore_and_die(int sig) {
    if (g_have_termios && g_tty_fd >= 0) tcsetattr(g_tty_fd, TCSANOW, &g_saved_termios);
    if (g_tty_fd >= 0 && g_restore_len > 0) {
        ssize_t w = write(g_tty_fd, g_restore, g_restore_len);
        (void)w;
    }
    _exit(128 + sig);
}

/* Only async-signal-safe calls here: no malloc, no stdio, no Swift. */
static void on_exit_signal(int sig) {
    int saved = errno;
    g_exit_count = g_exit_count + 1;
    g_exit_signal = sig;
    /* SIGHUP = the SSH connection is gone: nobody can see a clean shutdown,
     * and the loop may be blocked writing to a dead tty. Leave at once.
     * A second signal means the app did not react to the first one. */
    if (sig == SIGHUP || g_exit_count > 1) restore_and_die(sig);
    if (g_wake_fd >= 0) { char b = 's'; ssize_t w = write(g_wake_fd, &b, 1); (void)w; }
    errno = saved;
}

void cts_install_exit_signals(int wake_fd, int tty_fd, const char *restore_seq) {
    g_wake_fd = wake_fd;
    g_tty_fd = tty_fd;
    g_restore_len = 0;
    if (restore_seq) {
        size_t n = strlen(restore_seq);
        if (n > sizeof g_restore) n = sizeof g_restore;
        memcpy(g_restore, restore_seq, n);
        g_restore_len = n;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_exit_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: let poll() return EINTR promptly */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
}

int cts_take_exit_signal(void) { int s = g_exit_signal; g_exit_signal = 0; return s; }
int cts_peek_exit_signal(void) { return g_exit_signal; }

void cts_reset_exit_signals(void) {
    signal(SIGINT, SIG_DFL); signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL); signal(SIGQUIT, SIG_DFL);
}

void cts_stop_self(void) {
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);   /* process stops here until SIGCONT */
}

int cts_make_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

int cts_poll2(int fd_a, int fd_b, int timeout_ms) {
    struct pollfd p[2];
    int n = 0, ia = -1, ib = -1;
    if (fd_a >= 0) { p[n].fd = fd_a; p[n].events = POLLIN; p[n].revents = 0; ia = n++; }
    if (fd_b >= 0) { p[n].fd = fd_b; p[n].events = POLLIN; p[n].revents = 0; ib = n++; }
    int r = poll(p, (nfds_t)n, timeout_ms);
    if (r < 0) return -1;
    int mask = 0;
    if (ia >= 0 && (p[ia].revents & (POLLIN | POLLHUP | POLLERR))) mask |= 1;
    if (ib >= 0 && (p[ib].revents & (POLLIN | POLLHUP | POLLERR))) mask |= 2;
    return mask;
}

void cts_drain(int fd) {
    char buf[256];
    while (read(fd, buf, sizeof buf) > 0) {}
}

void cts_poke(int fd) { char b = 'w'; ssize_t w = write(fd, &b, 1); (void)w; }

int cts_isatty(int fd) { return isatty(fd); }
