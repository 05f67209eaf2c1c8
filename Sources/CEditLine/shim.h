// libedit (Debian: libedit-dev), through its readline-compatible, non-variadic interface.
// Imported only by REPL/EditLineReader.swift.
#include <stdio.h>
#include <editline/readline.h>
