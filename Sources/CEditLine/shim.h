// libedit (Debian: libedit-dev), through its readline-compatible, non-variadic interface.
// Imported only by REPL/EditLineReader.swift.
#include <stdio.h>
#include <editline/readline.h>

// Setters and getters for libedit's global configuration, so Swift (in its version 6 language mode) reaches
// these C globals through functions; the REPL uses one line editor on one thread.
static inline void brpsh_rl_set_name(const char *name) { rl_readline_name = name; }
static inline void brpsh_rl_set_word_breaks(const char *breaks) { rl_basic_word_break_characters = breaks; }
static inline void brpsh_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void brpsh_rl_set_catch_signals(int on) { rl_catch_signals = on; }
static inline void brpsh_rl_set_getc(int (*f)(FILE *)) { rl_getc_function = f; }
static inline void brpsh_rl_set_completion_over(int over) { rl_attempted_completion_over = over; }
static inline const char *brpsh_rl_line_buffer(void) { return rl_line_buffer; }
static inline void brpsh_rl_set_append_character(int c) { rl_completion_append_character = c; }
