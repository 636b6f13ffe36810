#ifndef BLINDREVIEW_CNCURSES_SHIM_H
#define BLINDREVIEW_CNCURSES_SHIM_H
// Wide-character ncurses: SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so ask for the wide API explicitly.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline int br_attr_bold(void) { return (int)A_BOLD; }
static inline int br_attr_reverse(void) { return (int)A_REVERSE; }
static inline int br_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int br_attr_dim(void) { return (int)A_DIM; }
static inline int br_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int br_key_resize(void) { return KEY_RESIZE; }
static inline WINDOW *br_stdscr(void) { return stdscr; }
static inline void br_set_escdelay(int ms) { set_escdelay(ms); }

/// The terminal's width of one code point (the locale's wcwidth: -1 unprintable, 0 combining, 1 or 2).
extern int wcwidth(wchar_t c);
static inline int br_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

/// Bracketed paste: the terminal wraps pasted text in ESC[200~ ... ESC[201~; curses reports them as these keys.
static inline int br_key_paste_start(void) { return KEY_MAX + 1; }
static inline int br_key_paste_end(void) { return KEY_MAX + 2; }
static inline void br_define_paste_keys(void) {
    define_key("\033[200~", KEY_MAX + 1);
    define_key("\033[201~", KEY_MAX + 2);
}

/// Draws one cell: a base character plus combining marks, with attributes.
static inline int br_put_cell(WINDOW *win, int y, int x, const wchar_t *text, int attrs) {
    cchar_t cell;
    if (setcchar(&cell, text, (attr_t)attrs, 0, NULL) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}
#endif
