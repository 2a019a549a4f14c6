#ifndef RACELAB_TAMPER_SCAN_H
#define RACELAB_TAMPER_SCAN_H
/*
 * Tampering a program does before it ever runs: code written to silence,
 * steer or bypass the checkers (docs/security.md). Two views, because each
 * alone can be evaded:
 *
 * - its sources as the compiler's own preprocessor leaves them for one
 *   build (clang's -E with that build's -fsanitize flags, or gcc's):
 *   macros expanded, token pasting done, comments gone, `_Pragma` turned
 *   into `#pragma` lines, every line marked with the file it came from.
 *   A name hidden behind a macro is spelled out here, at the line where
 *   the program used the macro;
 * - its built binary: the symbols it defines (nm) and the source line
 *   each comes from (addr2line, from the build's DWARF), so that a hook
 *   named through an assembler label or an alias is found too.
 *
 * Only the program's own code counts: lines of system headers (/usr) and
 * of the lab's shared include/ (stage.h uses Valgrind client requests
 * itself) are not the program's; a macro of theirs used by the program is,
 * at the program's line.
 *
 * A finding is one line "FILE\tLINE\tMESSAGE" appended to a strvec; the
 * caller owns the strvec (build.c keeps it with the build and caches it
 * beside the binary).
 */
#include "strvec.h"

#include <stddef.h>

/*
 * Raise it with every change to what the scan finds (tamper-scan.c): a
 * build's cached scan of another version is done again.
 */
#define TAMPER_SCAN_VERSION "racelab tamper scan 4"

/*
 * Scan one preprocessed translation unit. srcdir: the program's directory
 * (the compiler ran there); incdir: the lab's include/, or NULL.
 */
void tamper_scan_source(const char *text, size_t len, const char *srcdir, const char *incdir,
			struct strvec *out);
/*
 * Scan a built binary's symbol table for the sanitizers' interface defined
 * by the program: under srcdir by its line, a hook defined strongly, and
 * anything of it when no sanitizer runtime is linked in (runtime 0). A
 * finding without a line has an empty FILE and LINE 0. 0, or -1 when nm
 * could not be run (then nothing is added; the source scan still holds).
 */
int tamper_scan_binary(const char *binary, const char *srcdir, int runtime, struct strvec *out);

/* Split a finding line; 0, or -1 when it is not one. Pointers into a copy the caller frees. */
int tamper_finding_split(const char *finding, char **file, int *line, const char **message);

#endif
