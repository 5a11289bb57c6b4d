/* Binds ncursesw for Swift. Swift cannot import function-like macros
 * (getmaxyx), NCURSES_BITS casts (A_BOLD...), and rejects C globals such as
 * stdscr/LINES in Swift 6 mode, so each gets a tiny inline accessor here. */
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1   /* exposes get_wch, cchar_t, setcchar without _XOPEN_SOURCE */
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

static inline unsigned int cn_A_NORMAL(void)    { return (unsigned int)A_NORMAL; }
static inline unsigned int cn_A_BOLD(void)      { return (unsigned int)A_BOLD; }
static inline unsigned int cn_A_REVERSE(void)   { return (unsigned int)A_REVERSE; }
static inline unsigned int cn_A_UNDERLINE(void) { return (unsigned int)A_UNDERLINE; }
static inline unsigned int cn_A_DIM(void)       { return (unsigned int)A_DIM; }
static inline unsigned int cn_A_ITALIC(void)    { return (unsigned int)A_ITALIC; }
static inline unsigned int cn_A_BLINK(void)     { return (unsigned int)A_BLINK; }

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline WINDOW *cn_curscr(void) { return curscr; }
static inline int cn_LINES(void)  { return LINES; }
static inline int cn_COLS(void)   { return COLS; }
static inline int cn_COLORS(void) { return COLORS; }
static inline int cn_COLOR_PAIRS(void) { return COLOR_PAIRS; }
static inline int cn_ESCDELAY(void) { return ESCDELAY; }
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }

/* Writes one wide string with attributes and a colour pair, clipped by ncurses
 * to the window; `pair` goes through the opts pointer so pairs above 255 work. */
static inline int cn_put_wstr(WINDOW *w, int y, int x, const wchar_t *s, int n,
                              unsigned int attrs, int pair) {
    wattr_set(w, (attr_t)attrs, (short)(pair > 32767 ? 0 : pair), &pair);
    int r = mvwaddnwstr(w, y, x, s, n);
    wattr_set(w, A_NORMAL, 0, NULL);
    return r;
}
#endif
