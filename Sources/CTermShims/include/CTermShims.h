/* Small libc pieces Swift cannot reach directly on Linux:
 * - glibc hides wcwidth unless _XOPEN_SOURCE is set before <wchar.h>;
 * - signal handlers must be C-simple (async-signal-safe: set a flag, write to
 *   a pipe, restore the tty), so the handler itself lives here. */
#ifndef CTERMSHIMS_H
#define CTERMSHIMS_H

/* Display columns of one code point per glibc's locale tables (-1 = non-printable). */
int cts_wcwidth(unsigned int codepoint);

/* Remembers the tty mode of `fd` so a signal handler can restore it
 * (tcsetattr is async-signal-safe, endwin is not). */
int cts_save_termios(int fd);

/* 1 when the current LC_CTYPE codeset is UTF-8. */
int cts_codeset_is_utf8(void);

/* Installs SIGINT/SIGTERM/SIGHUP/SIGQUIT handlers that: remember the signal,
 * write one byte to `wake_fd` (may be -1), and — on the second arrival or for
 * SIGHUP — write `restore_seq` straight to `tty_fd` and _exit(128+sig).
 * `restore_seq` is copied into a static buffer (max 255 bytes). */
void cts_install_exit_signals(int wake_fd, int tty_fd, const char *restore_seq);
/* Returns the last caught exit signal (0 = none) and clears it. */
int cts_take_exit_signal(void);
/* Peek without clearing. */
int cts_peek_exit_signal(void);
/* Restores default dispositions for the exit signals. */
void cts_reset_exit_signals(void);

/* Ctrl-Z support: ignore SIGTSTP from the tty driver (we read ^Z as a key in
 * raw mode) and let the app stop itself with cts_stop_self(). */
void cts_stop_self(void);

/* Non-blocking self-pipe used to wake a blocking poll from other threads. */
int cts_make_pipe(int fds[2]);

/* Waits until `fd_a` or `fd_b` (-1 = unused) is readable or `timeout_ms`
 * passes (-1 = forever). Returns bitmask 1=a, 2=b, 0=timeout, -1=EINTR/error. */
int cts_poll2(int fd_a, int fd_b, int timeout_ms);

/* Drains all bytes from a non-blocking fd. */
void cts_drain(int fd);
/* Writes one byte (async-signal-safe). */
void cts_poke(int fd);

int cts_isatty(int fd);
#endif
